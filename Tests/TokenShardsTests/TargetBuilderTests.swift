// Layouts, masks and truncation per DESIGN.md, with exact ids from the byte test tokenizer
// (BOS 1, EOS 2, SEP_RESP 3, SEP_CORR 4, byte b → b + 5), and the S4 fault cases K10, K17, K18.

import Testing

@testable import TokenShards

@Suite struct TargetBuilderTests {
  let tok = ByteTestTokenizer()
  func builder(_ kind: TargetKind, maxLength: Int? = nil, keep: Bool = false) -> TargetBuilder {
    TargetBuilder(
      config: TargetConfig(kind: kind, maxLength: maxLength, keepTruncatedTargets: keep),
      specials: tok.specialIDs)
  }
  func ids(_ s: String) -> [UInt32] { tok.encodeOrdinary(s) }

  @Test func seq2seqCorrectionThenIdentityWithMaskOnTargetAndEOS() {
    var stats = TargetStats()
    let outcome = builder(.seq2seq).build(
      prompt: ids("ab"), chosen: ids("y"), rejected: ids("x"), includeIdentity: true, stats: &stats)
    let a: UInt32 = 97 + 5
    let (x, y): (UInt32, UInt32) = (120 + 5, 121 + 5)
    #expect(
      outcome
        == .documents(
          [
            [TokenSequence(tokens: [1, a, a + 1, 3, x, 4, y, 2], mask: [0, 0, 0, 0, 0, 0, 1, 1])],
            [TokenSequence(tokens: [1, a, a + 1, 3, y, 4, y, 2], mask: [0, 0, 0, 0, 0, 0, 1, 1])],
          ], roles: ["correction", "identity"]))
    #expect(stats == TargetStats())
  }

  @Test func identityRatioZeroGivesCorrectionOnly() {
    var stats = TargetStats()
    let outcome = builder(.seq2seq).build(
      prompt: ids("p"), chosen: ids("y"), rejected: ids("x"), includeIdentity: false, stats: &stats)
    guard case .documents(let docs, let roles) = outcome else { Issue.record("dropped"); return }
    #expect(docs.count == 1 && roles == ["correction"])
  }

  @Test func identitySelectionFollowsTheRatio() {
    #expect(includesIdentity(id: 12345, ratio: 1))
    #expect(!includesIdentity(id: 12345, ratio: 0))
    let chosen = (0..<10_000).filter {
      includesIdentity(id: UInt64($0) &* 0x9E37_79B9_7F4A_7C15, ratio: 0.25)
    }
    #expect((2_300...2_700).contains(chosen.count))
  }

  @Test func pairsAndSftAndPromptsLayouts() {
    var stats = TargetStats()
    let p = ids("q")[0]
    let (w, l) = (ids("w")[0], ids("l")[0])
    #expect(
      builder(.pairs).build(
        prompt: [p], chosen: [w], rejected: [l], includeIdentity: true, stats: &stats)
        == .documents(
          [
            [
              TokenSequence(tokens: [1, p, 3, w, 2], mask: [0, 0, 0, 0, 1]),
              TokenSequence(tokens: [1, p, 3, l, 2], mask: [0, 0, 0, 0, 1]),
            ]
          ], roles: ["pair"]))
    #expect(
      builder(.sft).build(
        prompt: [p], chosen: [w], rejected: [l], includeIdentity: true, stats: &stats)
        == .documents(
          [[TokenSequence(tokens: [1, p, 3, w, 2], mask: [0, 0, 0, 1, 1])]], roles: ["sft"]))
    #expect(
      builder(.prompts).build(
        prompt: [p], chosen: [], rejected: [], includeIdentity: true, stats: &stats)
        == .documents([[TokenSequence(tokens: [1, p, 3], mask: [0, 0, 0])]], roles: ["prompt"]))
  }

  /// Prompt from the left first, then the input response from the right; each cut counted.
  @Test func truncationOrderAndCounts() {
    var stats = TargetStats()
    let outcome = builder(.seq2seq, maxLength: 6).build(
      prompt: ids("abc"), chosen: ids("z"), rejected: ids("xy"), includeIdentity: true,
      stats: &stats)
    let (x, z) = (ids("x")[0], ids("z")[0])
    #expect(
      outcome
        == .documents(
          [
            [TokenSequence(tokens: [1, 3, x, 4, z, 2], mask: [0, 0, 0, 0, 1, 1])],
            [TokenSequence(tokens: [1, 3, z, 4, z, 2], mask: [0, 0, 0, 0, 1, 1])],
          ], roles: ["correction", "identity"]))
    #expect(stats.promptsCut == 2 && stats.promptTokensCut == 6)
    #expect(stats.inputsCut == 1 && stats.inputTokensCut == 1)
    #expect(stats.targetsCut == 0)
  }

  @Test func promptKeepsItsRightEnd() {
    var stats = TargetStats()
    let outcome = builder(.sft, maxLength: 6).build(
      prompt: ids("abcd"), chosen: ids("z"), rejected: [], includeIdentity: true, stats: &stats)
    #expect(
      outcome
        == .documents(
          [
            [
              TokenSequence(
                tokens: [1] + ids("cd") + [3] + ids("z") + [2], mask: [0, 0, 0, 0, 1, 1])
            ]
          ], roles: ["sft"]))
  }

  /// A target that loses its EOS is dropped by default and kept (counted) with the flag.
  @Test func targetLosingEOSIsDroppedOrKept() {
    var stats = TargetStats()
    let dropped = builder(.sft, maxLength: 5).build(
      prompt: ids("p"), chosen: ids("wxyz"), rejected: [], includeIdentity: true, stats: &stats)
    #expect(dropped == .dropped(.targetLostEOS))
    stats = TargetStats()
    let kept = builder(.sft, maxLength: 5, keep: true).build(
      prompt: ids("p"), chosen: ids("wxyz"), rejected: [], includeIdentity: true, stats: &stats)
    #expect(
      kept
        == .documents(
          [[TokenSequence(tokens: [1, 3] + ids("wxy"), mask: [0, 0, 1, 1, 1])]], roles: ["sft"]))
    #expect(stats.targetsCut == 1 && stats.targetTokensCut == 2 && stats.keptWithoutEOS == 1)
    #expect(stats.promptsCut == 1)
  }

  /// K17: prompt 10 tokens; chosen = shared 100 tokens + " Yes."; rejected = shared + " No.";
  /// max length 64 → identical after truncation, dropped with that reason (even with keep).
  @Test(arguments: [false, true])
  func pairsIdenticalAfterTruncationAreDropped(keep: Bool) {
    var stats = TargetStats()
    let shared = String(repeating: "s", count: 100)
    let outcome = builder(.pairs, maxLength: 64, keep: keep).build(
      prompt: ids("0123456789"), chosen: ids(shared + " Yes."), rejected: ids(shared + " No."),
      includeIdentity: true, stats: &stats)
    #expect(outcome == .dropped(.identicalAfterTruncation))
  }

  /// K18: max 8, prompt 2, chosen 12, rejected 3: bounds clamp at 0, nothing is silently empty.
  @Test func negativeBoundNeverEmptiesACompletion() {
    var stats = TargetStats()
    let outcome = builder(.pairs, maxLength: 8, keep: true).build(
      prompt: ids("pp"), chosen: ids("cccccccccccc"), rejected: ids("rrr"), includeIdentity: true,
      stats: &stats)
    guard case .documents(let docs, _) = outcome else { Issue.record("dropped"); return }
    #expect(docs[0][0].tokens == [1, 3] + ids("cccccc"))
    #expect(docs[0][1].tokens == [1, 3] + ids("rrr") + [2])
    #expect(docs[0].allSatisfy { $0.count <= 8 && $0.count > 2 })
    var unvalidated = TargetConfig(kind: .seq2seq)
    unvalidated.maxLength = 3
    let tight = TargetBuilder(config: unvalidated, specials: tok.specialIDs).build(
      prompt: ids("p"), chosen: ids("c"), rejected: ids("r"), includeIdentity: true, stats: &stats)
    #expect(tight == .dropped(.noRoom))
  }

  /// K10: prompt and completion are concatenated as separately tokenized ids; the mask starts
  /// exactly at the first completion token, and both examples share the prompt ids.
  @Test func boundaryIsTheSeparateTokenizationBoundary() {
    var stats = TargetStats()
    let prompt = ids("Q: price?\nA: ")
    let (chosen, rejected) = (ids("46 dollars"), ids("$46 dollars"))
    guard
      case .documents(let docs, _) = builder(.seq2seq).build(
        prompt: prompt, chosen: chosen, rejected: rejected, includeIdentity: true, stats: &stats)
    else { Issue.record("dropped"); return }
    let correction = docs[0][0]
    #expect(correction.tokens == [1] + prompt + [3] + rejected + [4] + chosen + [2])
    #expect(correction.mask.firstIndex(of: 1) == 1 + prompt.count + 1 + rejected.count + 1)
    #expect(Array(docs[1][0].tokens[1...prompt.count]) == prompt)
  }

  @Test func emptyCompletionIsDropped() {
    var stats = TargetStats()
    #expect(
      builder(.seq2seq).build(
        prompt: ids("p"), chosen: [], rejected: ids("r"), includeIdentity: true, stats: &stats)
        == .dropped(.emptyCompletion))
  }
}
