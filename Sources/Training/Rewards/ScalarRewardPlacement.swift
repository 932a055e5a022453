// Where a scalar (Bradley–Terry) reward lands in a response (METHOD.md §3): on the last real
// response token only — EOS, or the last kept token when the response hit the length cap — and
// never on a padding position. The position comes from the stored response length, never from a
// search for padding (K19). A response that hit the cap without EOS can be charged a penalty.

/// The scalar arm's per-token scores for a batch of responses, (rows, width) row-major.
///
/// - Parameters:
///   - scores: R(x, y), one per row.
///   - lengths: number of real response tokens per row (1…width), EOS included when present.
///   - endsWithEOS: whether each response ended with EOS (false: it hit the length cap).
///   - missingEOSPenalty: subtracted from R for a response without EOS (`--missing-eos-penalty`,
///     default 0: the score lands unchanged on the last kept token).
/// - Returns: zeros except at (row, lengths[row] − 1).
/// - Example: scores [2], lengths [3], width 5, no EOS, penalty 1 → [0, 0, 1, 0, 0].
public func placeScalarRewards(
  scores: [Float], lengths: [Int], endsWithEOS: [Bool], width: Int, missingEOSPenalty: Float = 0
) -> [Float] {
  precondition(
    scores.count == lengths.count && lengths.count == endsWithEOS.count,
    "placeScalarRewards: one score, length and EOS flag per row")
  var placed = [Float](repeating: 0, count: scores.count * width)
  for row in scores.indices {
    precondition(
      lengths[row] >= 1 && lengths[row] <= width,
      "placeScalarRewards: row \(row) has length \(lengths[row]), expected 1...\(width)")
    let penalty = endsWithEOS[row] ? 0 : missingEOSPenalty
    placed[row * width + lengths[row] - 1] = scores[row] - penalty
  }
  return placed
}

/// The index of the last real token of a row from its attention mask: the last index where the
/// mask is 1, whatever the padding side (K19). nil for an all-padding row.
public func lastRealIndex(mask: [Float]) -> Int? {
  mask.lastIndex { $0 != 0 }
}

/// Response mask for rows of the given lengths: 1 on positions 0..<length, 0 after.
public func responseMask(lengths: [Int], width: Int) -> [Float] {
  var mask = [Float](repeating: 0, count: lengths.count * width)
  for (row, length) in lengths.enumerated() {
    for t in 0..<min(length, width) { mask[row * width + t] = 1 }
  }
  return mask
}
