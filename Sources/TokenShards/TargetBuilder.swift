// Layouts, masks and truncation of the four target kinds (DESIGN.md "Target kinds", "Truncation";
// METHOD.md §1.4, §7.1). Prompt and responses arrive already tokenized separately (K10) and are only
// concatenated here. Truncation to `maxLength` (whole sequence, specials included) cuts the prompt from
// the left first, then the input response from the right, then the target from the right (its EOS
// goes first). A record is dropped whole when any of its examples is dropped, so
// `records in = converted + Σ dropped` and examples = converted × examples per record.

/// What one record became.
public enum TargetOutcome: Sendable, Equatable {
  /// Documents in order (seq2seq: correction then identity; pairs: one document of two sequences),
  /// with the role name of each document for the example counters.
  case documents([[TokenSequence]], roles: [String])
  /// Nothing: the reason is counted.
  case dropped(TargetDropReason)
}

/// Builds the examples of one record from its separately tokenized fields.
public struct TargetBuilder: Sendable {
  public let config: TargetConfig
  public let specials: SpecialIDs

  /// Creates a builder.
  public init(config: TargetConfig, specials: SpecialIDs) {
    self.config = config
    self.specials = specials
  }

  /// The examples of one record.
  /// - Parameters:
  ///   - includeIdentity: seq2seq only: whether this pair also gets an identity example.
  ///   - stats: truncation counters are added here (drops are counted by the caller).
  public func build(
    prompt: [UInt32], chosen: [UInt32], rejected: [UInt32], includeIdentity: Bool,
    stats: inout TargetStats
  ) -> TargetOutcome {
    switch config.kind {
    case .seq2seq:
      if chosen.isEmpty || rejected.isEmpty { return .dropped(.emptyCompletion) }
      let correction = layOut(prompt: prompt, input: rejected, target: chosen)
      let identity = layOut(prompt: prompt, input: chosen, target: chosen)
      let checked = includeIdentity ? [correction, identity] : [correction]
      if let reason = firstDrop(checked, identical: correction.sequence == identity.sequence) {
        return .dropped(reason)
      }
      correction.count(into: &stats, keptWithoutEOS: config.keepTruncatedTargets)
      guard includeIdentity else {
        return .documents([[correction.sequence]], roles: ["correction"])
      }
      identity.count(into: &stats, keptWithoutEOS: config.keepTruncatedTargets)
      return .documents(
        [[correction.sequence], [identity.sequence]], roles: ["correction", "identity"])
    case .pairs:
      if chosen.isEmpty || rejected.isEmpty { return .dropped(.emptyCompletion) }
      // Both sequences keep the same prompt ids: the prompt cut is the larger of the two needs.
      let need = max(promptCutNeeded(prompt, chosen), promptCutNeeded(prompt, rejected))
      let kept = Array(prompt.dropFirst(min(need, prompt.count)))
      var a = layOut(prompt: kept, input: nil, target: chosen)
      var b = layOut(prompt: kept, input: nil, target: rejected)
      if let reason = firstDrop([a, b], identical: a.sequence == b.sequence) {
        return .dropped(reason)
      }
      a.promptCut = prompt.count - kept.count
      b.promptCut = prompt.count - kept.count
      a.count(into: &stats, keptWithoutEOS: config.keepTruncatedTargets)
      b.count(into: &stats, keptWithoutEOS: config.keepTruncatedTargets)
      return .documents([[a.scoringMasked, b.scoringMasked]], roles: ["pair"])
    case .sft:
      if chosen.isEmpty { return .dropped(.emptyCompletion) }
      let example = layOut(prompt: prompt, input: nil, target: chosen)
      if let reason = example.dropReason { return .dropped(reason) }
      example.count(into: &stats, keptWithoutEOS: config.keepTruncatedTargets)
      return .documents([[example.sequence]], roles: ["sft"])
    case .prompts:
      let limit = config.maxLength ?? Int.max
      guard limit >= 3 || prompt.isEmpty else { return .dropped(.noRoom) }
      let cut = max(0, prompt.count + 2 - limit)
      if cut > 0 {
        stats.promptsCut += 1
        stats.promptTokensCut += cut
      }
      let tokens = [specials.bos] + prompt.dropFirst(cut) + [specials.sepResp]
      let sequence = TokenSequence(tokens: tokens, mask: [UInt8](repeating: 0, count: tokens.count))
      return .documents([[sequence]], roles: ["prompt"])
    }
  }

  /// The reason a record is dropped, by precedence: no room, identical after truncation (K17),
  /// target lost its EOS.
  private func firstDrop(_ examples: [LaidOut], identical: Bool) -> TargetDropReason? {
    if examples.contains(where: { $0.dropReason == .noRoom }) { return .noRoom }
    if identical { return .identicalAfterTruncation }
    return examples.lazy.compactMap(\.dropReason).first
  }

  /// Prompt tokens that must go so that `[BOS] p [SEP_RESP] r [EOS]` fits (clamped to the prompt).
  private func promptCutNeeded(_ prompt: [UInt32], _ response: [UInt32]) -> Int {
    guard let limit = config.maxLength else { return 0 }
    return min(prompt.count, max(0, prompt.count + response.count + 3 - limit))
  }

  /// One laid-out sequence and what truncation did to it.
  struct LaidOut {
    var sequence: TokenSequence
    var promptCut = 0
    var inputCut = 0
    /// Target tokens cut, EOS included (1 = only the EOS went).
    var targetCut = 0
    var dropReason: TargetDropReason?

    func count(into stats: inout TargetStats, keptWithoutEOS: Bool) {
      if promptCut > 0 {
        stats.promptsCut += 1
        stats.promptTokensCut += promptCut
      }
      if inputCut > 0 {
        stats.inputsCut += 1
        stats.inputTokensCut += inputCut
      }
      if targetCut > 0 {
        stats.targetsCut += 1
        stats.targetTokensCut += targetCut
        if keptWithoutEOS { stats.keptWithoutEOS += 1 }
      }
    }

    /// The pairs mask: 1 only at the scoring position (the last real token).
    var scoringMasked: TokenSequence {
      var mask = [UInt8](repeating: 0, count: sequence.count)
      if let last = sequence.lastTokenIndex { mask[last] = 1 }
      return TokenSequence(tokens: sequence.tokens, mask: mask)
    }
  }

  /// Lays out `[BOS] prompt [SEP_RESP] (input [SEP_CORR])? target [EOS]`, truncated to `maxLength`,
  /// with mask 1 on the kept target tokens and EOS.
  func layOut(prompt: [UInt32], input: [UInt32]?, target: [UInt32]) -> LaidOut {
    let overhead = input == nil ? 2 : 3  // BOS, SEP_RESP (, SEP_CORR); EOS belongs to the target
    let targetWithEOS = target.count + 1
    var excess = overhead + prompt.count + (input?.count ?? 0) + targetWithEOS
    excess -= config.maxLength ?? excess
    excess = max(0, excess)
    let promptCut = min(excess, prompt.count)
    excess -= promptCut
    let inputCut = min(excess, input?.count ?? 0)
    excess -= inputCut
    let targetCut = min(excess, targetWithEOS)
    excess -= targetCut
    var tokens: [UInt32] = [specials.bos]
    tokens.append(contentsOf: prompt[promptCut...])
    tokens.append(specials.sepResp)
    if let input {
      tokens.append(contentsOf: input[..<(input.count - inputCut)])
      tokens.append(specials.sepCorr)
    }
    let contextCount = tokens.count
    let keptTarget = targetWithEOS - targetCut  // includes the EOS when targetCut == 0
    tokens.append(contentsOf: target.prefix(min(keptTarget, target.count)))
    if targetCut == 0 { tokens.append(specials.eos) }
    var mask = [UInt8](repeating: 0, count: contextCount)
    mask.append(contentsOf: repeatElement(1, count: tokens.count - contextCount))
    var result = LaidOut(
      sequence: TokenSequence(tokens: tokens, mask: mask), promptCut: promptCut,
      inputCut: inputCut, targetCut: targetCut)
    if excess > 0 || keptTarget - (targetCut == 0 ? 1 : 0) < 1 {
      result.dropReason = .noRoom
    } else if targetCut > 0, !config.keepTruncatedTargets {
      result.dropReason = .targetLostEOS
    }
    return result
  }
}

/// Whether a seq2seq pair also gets an identity example: a second hash of the id (splitmix64 of the
/// id xor a constant, so it is independent of the split rule) below `ratio`. Ratio 1 = every pair.
public func includesIdentity(id: UInt64, ratio: Double) -> Bool {
  if ratio >= 1 { return true }
  if ratio <= 0 { return false }
  var z = id ^ 0x6964_656E_7469_7479  // "identity"
  z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
  z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
  z ^= z >> 31
  return Double(z) / 18_446_744_073_709_551_616.0 < ratio
}
