// UltraFeedbackAdapter.swift — UltraFeedback (FORMATS.md §5), both shapes:
//  * raw (openbmb): `instruction` + `completions[]` with `annotations.<aspect>.Rating` strings.
//    A completion's score is the mean of its numeric aspect ratings (helpfulness, honesty,
//    instruction_following, truthfulness; "N/A" and other non-numbers are skipped), falling back to a
//    numeric `fine-grained_score`. chosen = the best score (first on ties); rejected = the lowest
//    score (first on ties) — deterministic. Fewer than two scored completions → non-finite-score;
//    all scores equal → tied-preference.
//  * binarized (HuggingFaceH4): `chosen`/`rejected` message lists (prompt = shared prefix, rendered
//    with ChatTemplate), `prompt_id`, `score_chosen`, `score_rejected` kept in `meta`; equal scores →
//    tied-preference.

/// Reads UltraFeedback raw and binarized records.
public struct UltraFeedbackAdapter: RecordAdapter {
  /// The aspects averaged into a completion's score.
  static let aspects = ["helpfulness", "honesty", "instruction_following", "truthfulness"]

  /// Creates the adapter.
  public init() {}

  public func matches(_ value: JSONValue) -> Bool {
    value.hasKeys("instruction", "completions")
      || (value.hasKeys("chosen", "rejected")
        && (value["prompt_id"] != nil || value["score_chosen"] != nil))
  }

  public func convert(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    if value["completions"] != nil || value["instruction"] != nil { return try convertRaw(value) }
    let c = try ChatTemplate.messages(value["chosen"], field: "chosen")
    let r = try ChatTemplate.messages(value["rejected"], field: "rejected")
    if let sc = value["score_chosen"]?.doubleValue, let sr = value["score_rejected"]?.doubleValue,
      sc == sr
    {
      return .dropped(.tiedPreference)
    }
    let result = try ChatTemplate.splitImplicit(chosen: c, rejected: r)
    guard case .pair(let p, let cr, let rr, _) = result else { return result }
    return .pair(
      prompt: p, chosen: cr, rejected: rr,
      meta: value.removingKeys(["prompt", "chosen", "rejected", "messages"]))
  }

  private func convertRaw(_ value: JSONValue) throws(RecordRejection) -> AdapterResult {
    let instruction = try value.requiredString("instruction")
    let completions = try value.requiredArray("completions")
    var scored: [(index: Int, score: Double, response: String)] = []
    for (k, completion) in completions.enumerated() {
      guard case .object = completion else {
        throw .wrongType("completions.\(k)", expected: "an object")
      }
      let response = try completion.requiredString("response")
      if let score = Self.score(completion) { scored.append((k, score, response)) }
    }
    guard scored.count >= 2 else { return .dropped(.nonFiniteScore) }
    var best = scored[0]
    var worst = scored[0]
    for entry in scored.dropFirst() {
      if entry.score > best.score { best = entry }
      if entry.score < worst.score { worst = entry }
    }
    if best.score == worst.score { return .dropped(.tiedPreference) }
    var meta = value.removingKeys(["instruction", "completions"]).objectValue ?? []
    meta += [
      (key: "chosen_model", value: completions[best.index]["model"] ?? .null),
      (key: "rejected_model", value: completions[worst.index]["model"] ?? .null),
      (key: "score_chosen", value: .double(best.score)),
      (key: "score_rejected", value: .double(worst.score)),
    ]
    return .pair(
      prompt: instruction, chosen: best.response, rejected: worst.response, meta: .object(meta))
  }

  /// The mean numeric aspect rating, else `fine-grained_score`, else nil.
  static func score(_ completion: JSONValue) -> Double? {
    var sum = 0.0
    var count = 0
    for aspect in aspects {
      guard let rating = completion["annotations"]?[aspect]?["Rating"] else { continue }
      let number = rating.stringValue.flatMap(Double.init) ?? rating.doubleValue
      if let number, number.isFinite {
        sum += number
        count += 1
      }
    }
    if count > 0 { return sum / Double(count) }
    if let fine = completion["fine-grained_score"]?.doubleValue, fine.isFinite { return fine }
    return nil
  }
}
