// The two reward arms as one interface: given a rollout batch, per-token scores s_t (rows, width).
// Seq2seq arm: one teacher-forced RM pass per response, all rows in one right-padded batch
// (METHOD.md §2.4). Scalar arm: the RM's value head read at the last real token of
// `[BOS] x [SEP_RESP] y`, placed there (METHOD.md §3). Prompts arrive as `[BOS] x [SEP_RESP]`.

import BPE

/// Per-token scores and which positions carry a reward-model score (for normalisation).
public struct ScoredBatch: Sendable, Equatable {
  /// (rows, width) s_t; 0 on padding.
  public var scores: [Float]
  /// (rows, width) 1 where the reward model put a score (every real token for seq2seq, the last
  /// real token for scalar), 0 elsewhere.
  public var carriers: [Float]
  /// Seq2seq arm: the first divergence index k per row (nil for the scalar arm).
  public var firstDivergence: [Int]?
}

/// A reward arm.
public protocol TokenScorer: AnyObject {
  /// Scores every response of `batch`.
  /// - Throws: `TrainingError.responseTooLong` when a response does not fit the RM's context.
  func score(_ batch: RolloutBatch) throws -> ScoredBatch
}

/// The seq2seq arm: token-level scores from the correction the RM would write.
public final class Seq2SeqTokenScorer: TokenScorer {
  let model: any PPONetwork
  let specials: SpecialTokenIDs
  /// The extraction knobs.
  public let config: TokenRewardConfig

  /// A scorer over a seq2seq reward model (an LM head; no value head needed).
  public init(model: any PPONetwork, specials: SpecialTokenIDs, config: TokenRewardConfig) {
    self.model = model
    self.specials = specials
    self.config = config
  }

  public func score(_ batch: RolloutBatch) throws -> ScoredBatch {
    let vocabulary = model.vocabularySize
    // 1. One RM input per row: x is the stored prompt without its BOS and SEP_RESP.
    let inputs = try batch.prompts.indices.map { b in
      try Seq2SeqRewardInput(
        prompt: Array(stripPromptMarkers(batch.prompts[b])), response: batch.responses[b],
        specials: specials, maxLength: model.contextLength)
    }
    // 2. One forward over all rows, right-padded (causal: padding never reaches a real row).
    let length = inputs.map(\.tokens.count).max() ?? 1
    var tokens = [Int32](repeating: Int32(specials.pad), count: inputs.count * length)
    for (b, input) in inputs.enumerated() {
      for (t, token) in input.tokens.enumerated() { tokens[b * length + t] = Int32(token) }
    }
    //    Logits only at the positions that predict y (the correction), row by row.
    let positions = inputs.enumerated().flatMap { b, input in
      (0..<batch.responses[b].count).map { b * length + input.predictionOffset + $0 }
    }
    let logits = model.forward(
      tokens: tokens, batchSize: inputs.count, sequenceLength: length, logitPositions: positions
    ).logits
    // 3. Scores from the rows that predict the response tokens.
    var scores = [Float](repeating: 0, count: batch.rowCount * batch.width)
    var divergence: [Int] = []
    var first = 0  // compact row of this response's first prediction
    for b in inputs.indices {
      let response = batch.responses[b]
      let start = first * vocabulary
      first += response.count
      let rewards = logits.withUnsafeBufferPointer {
        tokenScores(
          response: response,
          logits: UnsafeBufferPointer(rebasing: $0[start..<(start + response.count * vocabulary)]),
          vocabularySize: vocabulary, config: config)
      }
      for t in response.indices { scores[b * batch.width + t] = rewards.scores[t] }
      divergence.append(rewards.firstDivergence)
    }
    return ScoredBatch(scores: scores, carriers: batch.mask, firstDivergence: divergence)
  }

  /// `[BOS] x [SEP_RESP]` → x (each marker removed only when present).
  func stripPromptMarkers(_ prompt: [TokenID]) -> ArraySlice<TokenID> {
    var x = prompt[...]
    if x.first == specials.bos { x = x.dropFirst() }
    if x.last == specials.sepResp { x = x.dropLast() }
    return x
  }
}

/// The scalar (Bradley–Terry) arm: R(x, y) on the last real response token only.
public final class ScalarTokenScorer: TokenScorer {
  let model: any PPONetwork
  let pad: TokenID
  let missingEOSPenalty: Float

  /// A scorer over a scalar reward model (a model with a value head `score.weight`).
  public init(model: any PPONetwork, pad: TokenID, missingEOSPenalty: Float) {
    self.model = model
    self.pad = pad
    self.missingEOSPenalty = missingEOSPenalty
  }

  public func score(_ batch: RolloutBatch) throws -> ScoredBatch {
    let rows = Array(0..<batch.rowCount)
    let packed = PackedSequences(prompts: batch.prompts, responses: batch.responses, pad: pad)
    guard packed.sequenceLength <= model.contextLength else {
      throw TrainingError.responseTooLong(
        length: packed.sequenceLength, maxLength: model.contextLength)
    }
    let values = model.forward(
      tokens: packed.tokens, batchSize: packed.batchSize, sequenceLength: packed.sequenceLength
    ).values
    // The score is read at the last real token: position start + length − 1 of each row.
    let sequenceScores = rows.map { b in
      values[b * packed.sequenceLength + packed.responseStart[b] + batch.responses[b].count - 1]
    }
    let lengths = batch.responses.map(\.count)
    let scores = placeScalarRewards(
      scores: sequenceScores, lengths: lengths, endsWithEOS: batch.endsWithEOS, width: batch.width,
      missingEOSPenalty: missingEOSPenalty)
    let carriers = placeScalarRewards(
      scores: [Float](repeating: 1, count: rows.count), lengths: lengths,
      endsWithEOS: [Bool](repeating: true, count: rows.count), width: batch.width)
    return ScoredBatch(scores: scores, carriers: carriers, firstDivergence: nil)
  }
}
