// Token-level reward extraction (METHOD.md §2.2, §7.3): variants on hand-made predictions, the
// "perfect RM" offset check, and the single pass against the explicit greedy-then-teacher-forced
// loop on random causal models.

import BPE
import Testing

@testable import Training

@Suite struct TokenRewardExtractionTests {
  static let specials = SpecialTokenIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4)

  /// y = [5, 6, 7, 8], ŷ = [5, 9, 7, 1]: k = 1.
  @Test func variantsOnHandPredictions() {
    let y: [TokenID] = [5, 6, 7, 8]
    let yhat: [TokenID] = [5, 9, 7, 1]
    let a = tokenScores(response: y, predictions: yhat, config: TokenRewardConfig())
    #expect(a.scores == [1, -1, 1, -1])
    #expect(a.firstDivergence == 1)
    let b = tokenScores(response: y, predictions: yhat, config: TokenRewardConfig(variant: .b))
    #expect(b.scores == [1, -1, 0, -1])
    let scaled = tokenScores(
      response: y, predictions: yhat,
      config: TokenRewardConfig(positiveReward: 0.5, negativeReward: 2, dividesByLength: true))
    #expect(scaled.scores == [0.125, -0.5, 0.125, -0.5])
    let c = tokenScores(
      response: y, predictions: yhat, predictedProbabilities: [0.9, 0.8, 0.7, 0.6],
      responseProbabilities: [0.9, 0.1, 0.7, 0.2], config: TokenRewardConfig(variant: .c))
    #expect(c.scores == [0.9, -0.8, 0.7, -0.6])
    let agreeing = tokenScores(response: y, predictions: y, config: TokenRewardConfig(variant: .b))
    #expect(agreeing.scores == [1, 1, 1, 1] && agreeing.firstDivergence == 4)
  }

  /// Layout: [BOS] x [SEP_RESP] y' [SEP_CORR] y[..<T−1]; row offset = index of SEP_CORR.
  @Test func inputLayoutAndTruncation() throws {
    let input = try Seq2SeqRewardInput(
      prompt: [10, 11], response: [20, 21, 2], specials: Self.specials, maxLength: 64)
    #expect(input.tokens == [1, 10, 11, 3, 20, 21, 4, 20, 21])
    #expect(input.predictionOffset == 6)
    // Without EOS the input copy keeps every token.
    let capped = try Seq2SeqRewardInput(
      prompt: [10], response: [20, 21], specials: Self.specials, maxLength: 64)
    #expect(capped.tokens == [1, 10, 3, 20, 21, 4, 20])
    // 11 tokens do not fit in 8: the prompt loses 2 from the left, then y' loses 1 from the right.
    let cut = try Seq2SeqRewardInput(
      prompt: [10, 11], response: [20, 21, 22, 2], specials: Self.specials, maxLength: 8)
    #expect(cut.tokens == [1, 3, 20, 21, 4, 20, 21, 22])
    #expect(cut.promptTokensDropped == 2 && cut.inputResponseTokensDropped == 1)
    #expect(throws: TrainingError.responseTooLong(length: 4, maxLength: 5)) {
      try Seq2SeqRewardInput(
        prompt: [], response: [20, 21, 22, 2], specials: Self.specials, maxLength: 5)
    }
  }

  /// A "perfect" RM always writes y_w after SEP_CORR (then EOS). y_w scores +r_pos everywhere
  /// (EOS included); y_l scores +r_pos up to its first token that differs from y_w and −r_neg at
  /// exactly that token. After it, the RM still writes y_w position by position, so
  /// y_l = [20, 21, 25, 23, 26, EOS] against y_w = [20, 21, 22, 23, EOS] (then EOS) agrees at 3
  /// and 5: variant A gives [+, +, −, +, −, +], variant B [+, +, −, 0, −, 0].
  @Test func perfectRewardModelOffsetCheck() throws {
    let vocabulary = 32
    let chosen: [TokenID] = [20, 21, 22, 23, 2]
    let rejected: [TokenID] = [20, 21, 25, 23, 26, 2]
    let perfect: LogitsFunction = { tokens in
      let corr = tokens.lastIndex(of: Self.specials.sepCorr)!
      var logits = [Float](repeating: 0, count: tokens.count * vocabulary)
      for i in tokens.indices {
        let written = i - corr  // tokens of the corrected output already written
        let next = written >= 0 && written < chosen.count ? chosen[written] : 2
        logits[i * vocabulary + Int(next)] = 5
      }
      return logits
    }
    let config = TokenRewardConfig(positiveReward: 1, negativeReward: 2)
    let onChosen = try extractTokenRewards(
      prompt: [10, 11, 12], response: chosen, specials: Self.specials, maxLength: 64,
      vocabularySize: vocabulary, config: config, logits: perfect)
    #expect(onChosen.scores == [1, 1, 1, 1, 1])
    #expect(onChosen.firstDivergence == 5)
    let onRejected = try extractTokenRewards(
      prompt: [10, 11, 12], response: rejected, specials: Self.specials, maxLength: 64,
      vocabularySize: vocabulary, config: config, logits: perfect)
    #expect(onRejected.firstDivergence == 2)
    #expect(onRejected.scores == [1, 1, -2, 1, -2, 1])
    let literal = try extractTokenRewards(
      prompt: [10, 11, 12], response: rejected, specials: Self.specials, maxLength: 64,
      vocabularySize: vocabulary, config: TokenRewardConfig(variant: .b, negativeReward: 2),
      logits: perfect)
    #expect(literal.scores == [1, 1, -2, 0, -2, 0])
  }

  /// The single teacher-forced pass equals the explicit loop (greedy-decode until the first
  /// mismatch, then feed the response token by token) on random causal models. A tiny vocabulary
  /// makes agreements, and so late divergences, common.
  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
  func singlePassEqualsExplicitLoop(seed: Int) throws {
    let vocabulary = 7
    let model = RandomCausalModel(seed: UInt64(seed), vocabularySize: vocabulary)
    var generator = SplitMix64(seed: UInt64(seed) &* 31)
    let prompt = (0..<(1 + seed % 4)).map { _ in TokenID(5 + generator.next() % 2) }
    var response = (0..<(2 + seed % 5)).map { _ in TokenID(5 + generator.next() % 2) }
    if seed % 2 == 0 { response.append(Self.specials.eos) }
    for variant in ExtractionVariant.allCases {
      let config = TokenRewardConfig(variant: variant)
      let single = try extractTokenRewards(
        prompt: prompt, response: response, specials: Self.specials, maxLength: 64,
        vocabularySize: vocabulary, config: config, logits: model.logits)
      let loop = try extractTokenRewardsByExplicitLoop(
        prompt: prompt, response: response, specials: Self.specials, maxLength: 64,
        vocabularySize: vocabulary, config: config, logits: model.logits)
      #expect(single == loop)
    }
  }
}

/// A causal "model" whose logits at position i are a pseudo-random function of tokens[0...i]
/// (biased toward ids 5 and 6 so it often agrees with the test responses).
struct RandomCausalModel: Sendable {
  let seed: UInt64
  let vocabularySize: Int

  func logits(_ tokens: [TokenID]) -> [Float] {
    var out = [Float](repeating: 0, count: tokens.count * vocabularySize)
    var hash = seed
    for i in tokens.indices {
      hash = (hash ^ UInt64(tokens[i])) &* 0x100_0000_01B3
      var generator = SplitMix64(seed: hash)
      for v in 0..<vocabularySize {
        out[i * vocabularySize + v] = generator.nextFloat() + (v >= 5 ? 0.6 : 0)
      }
    }
    return out
  }
}
