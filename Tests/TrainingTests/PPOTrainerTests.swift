// PPO smoke tests on a tiny task with a known reward: a bigram policy over 8 tokens learns to
// answer `[BOS] 5 [SEP_RESP]` with what a fixed reward model wants, in both reward arms; the mean
// reward rises while the KL to the reference stays bounded. Also K20 at step 0 and determinism.

import BPE
import Testing
import Transformer

@testable import Training

@Suite struct PPOTrainerTests {
  static let specials = SpecialTokenIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4)
  static let vocabulary = 8
  static let prompts = [[TokenID]](repeating: [1, 5, 3], count: 16)

  static func config(iterations: Int = 40) -> PPOConfig {
    var config = PPOConfig()
    config.iterations = iterations
    config.rolloutBatchSize = 16
    config.minibatchSize = 8
    config.ppoEpochs = 2
    config.maxNewTokens = 6
    config.actorLearningRate = 0.05
    config.criticLearningRate = 0.05
    config.warmupFraction = 0
    config.klCoefficient = 0.02
    config.seed = 42
    return config
  }

  /// A perfect seq2seq RM that always writes y_w = [6, EOS] after SEP_CORR (METHOD.md §7.3).
  static func perfectRewardModel() -> FixedNetwork {
    let target: [Int32] = [6, 2]
    return FixedNetwork(vocabularySize: vocabulary) { tokens, batch, length in
      var logits = [Float](repeating: 0, count: tokens.count * vocabulary)
      for b in 0..<batch {
        let row = Array(tokens[(b * length)..<((b + 1) * length)])
        guard let corr = row.firstIndex(of: Int32(specials.sepCorr)) else { continue }
        for i in corr..<length {
          let written = i - corr
          logits[
            (b * length + i) * vocabulary + Int(written < target.count ? target[written] : 2)] = 4
        }
      }
      return NetworkOutputs(logits: logits, values: [])
    }
  }

  /// A scalar RM: value at each position = (number of 6s after SEP_RESP so far) − 0.5·(number of
  /// other response tokens so far), so R(x, y) is read at the last real token.
  static func countingRewardModel() -> FixedNetwork {
    FixedNetwork(vocabularySize: vocabulary) { tokens, batch, length in
      var values = [Float](repeating: 0, count: tokens.count)
      for b in 0..<batch {
        var inResponse = false
        var score: Float = 0
        for t in 0..<length {
          let token = tokens[b * length + t]
          if inResponse { score += token == 6 ? 1 : -0.5 }
          if token == Int32(specials.sepResp) { inResponse = true }
          values[b * length + t] = score
        }
      }
      return NetworkOutputs(logits: [], values: values)
    }
  }

  func run(scorer: any TokenScorer, iterations: Int) throws -> [PPOMetrics] {
    let sft = BigramNetwork(vocabularySize: Self.vocabulary)
    let trainer = PPOTrainer(
      config: Self.config(iterations: iterations), actor: sft.copy(), reference: sft.copy(),
      critic: sft.copy(), scorer: scorer, specials: Self.specials)
    return try (0..<iterations).map { _ in try trainer.step(prompts: Self.prompts).metrics }
  }

  @Test func seq2seqArmRaisesRewardWithBoundedKL() throws {
    let scorer = Seq2SeqTokenScorer(
      model: Self.perfectRewardModel(), specials: Self.specials, config: TokenRewardConfig())
    let metrics = try run(scorer: scorer, iterations: 40)
    let first = metrics.prefix(5).map(\.rewardMean).reduce(0, +) / 5
    let last = metrics.suffix(5).map(\.rewardMean).reduce(0, +) / 5
    #expect(last > first + 1.5, "reward \(first) → \(last)")
    #expect(last > 1.0, "the policy should mostly answer [6, EOS] (max reward 2)")
    #expect(metrics.allSatisfy { $0.kl < 6 }, "KL stays bounded")
    #expect(metrics.last!.firstDivergenceMean! > metrics.first!.firstDivergenceMean!)
  }

  @Test func scalarArmRaisesRewardWithBoundedKL() throws {
    let scorer = ScalarTokenScorer(
      model: Self.countingRewardModel(), pad: Self.specials.pad, missingEOSPenalty: 0)
    let metrics = try run(scorer: scorer, iterations: 30)
    let first = metrics.prefix(5).map(\.rewardMean).reduce(0, +) / 5
    let last = metrics.suffix(5).map(\.rewardMean).reduce(0, +) / 5
    #expect(last > first + 1.5, "reward \(first) → \(last)")
    #expect(metrics.allSatisfy { $0.kl < 12 }, "KL stays bounded")
  }

  /// K20: actor = reference at step 0, so the KL is exactly 0 and r_t = s_t.
  @Test func stepZeroKLIsExactlyZero() throws {
    let scorer = Seq2SeqTokenScorer(
      model: Self.perfectRewardModel(), specials: Self.specials, config: TokenRewardConfig())
    let metrics = try run(scorer: scorer, iterations: 1)
    #expect(metrics[0].kl == 0)
    #expect(metrics[0].penalizedRewardMean == metrics[0].rewardMean)
  }

  /// K20 on the engine's GPT model: the actor is a copy of the reference at step 0, so every
  /// real token's KL is exactly 0 (the same forward code on the same packed batch), r_t = s_t,
  /// and positions after a response's end carry 0 KL, 0 reward and 0 advantage whatever the
  /// critic says there.
  @Test func stepZeroKLIsExactlyZeroOnTheEngine() throws {
    // GPT-2's own initialisation: nearly uniform logits, so EOS often comes before the cap.
    let sft = GPTModel(
      config: ModelConfig(
        vocabularySize: Self.vocabulary, contextLength: 48, layerCount: 1, headCount: 2,
        channelCount: 16), seed: 11)
    let critic = sft.copy()
    critic.addValueHead(seed: 12)
    let actor = sft.copy()
    let rewardModel = TokenScorerTests.randomModel(seed: 13)
    var config = Self.config(iterations: 1)
    config.maxNewTokens = 6
    config.klCoefficient = 0.5
    let trainer = PPOTrainer(
      config: config,
      actor: GPTNetwork(model: actor, optimizer: AdamW(model: actor, learningRate: 1e-3)),
      reference: GPTNetwork(model: sft),
      critic: GPTNetwork(
        model: critic, optimizer: AdamW(model: critic, learningRate: 1e-3), computesLogits: false),
      scorer: Seq2SeqTokenScorer(
        model: GPTNetwork(model: rewardModel), specials: Self.specials,
        config: TokenRewardConfig()),
      specials: Self.specials)
    let prompts: [[TokenID]] = (0..<8).map {
      [1] + [TokenID](repeating: TokenID(5 + $0 % 3), count: 1 + $0 % 4) + [3]
    }
    let (batch, metrics) = try trainer.step(prompts: prompts)
    #expect(batch.mask.contains(0), "some response ends before the cap (padding is exercised)")
    #expect(batch.kl.allSatisfy { $0 == 0 })
    #expect(metrics.kl == 0)
    #expect(metrics.penalizedRewardMean == metrics.rewardMean)
    for i in batch.mask.indices where batch.mask[i] == 0 {
      #expect(batch.rewards[i] == 0 && batch.advantages[i] == 0 && batch.returns[i] == 0)
    }
    for i in batch.mask.indices where batch.mask[i] != 0 {
      #expect(batch.rewards[i] == batch.scores[i])
    }
  }

  /// K20: a rollout that samples tokens its own distribution finds unlikely (log π(6) ≈ −5.0
  /// against the uniform reference's −2.08) has a negative KL; after 5 such iterations in a row
  /// the trainer warns, and not before.
  @Test func negativeKLForFiveIterationsWarns() throws {
    var row = [Float](repeating: 0, count: Self.vocabulary)
    row[7] = 5
    let trainer = PPOTrainer(
      config: Self.config(iterations: 6),
      actor: ScriptedPolicy(vocabularySize: Self.vocabulary, response: [6, 2], row: row),
      reference: ScriptedPolicy(
        vocabularySize: Self.vocabulary, response: [6, 2],
        row: [Float](repeating: 0, count: Self.vocabulary)),
      critic: BigramNetwork(vocabularySize: Self.vocabulary),
      scorer: ScalarTokenScorer(
        model: Self.countingRewardModel(), pad: Self.specials.pad, missingEOSPenalty: 0),
      specials: Self.specials)
    let metrics = try (0..<6).map { _ in try trainer.step(prompts: Self.prompts).metrics }
    #expect(metrics.allSatisfy { $0.kl < 0 })
    #expect(metrics.prefix(4).allSatisfy { $0.warnings.isEmpty })
    #expect(metrics[4].warnings.count == 1 && metrics[5].warnings.count == 1)
    #expect(metrics[4].warnings[0].contains("K20"))
  }

  /// K22 in the loop: with --normalize-rewards the running statistics take the batch with its
  /// real size (every scored token: 16 responses × 2 tokens), and the metrics carry them.
  @Test func rewardNormalisationCountsEveryScoredToken() throws {
    var config = Self.config(iterations: 2)
    config.normalizeRewards = true
    let trainer = PPOTrainer(
      config: config,
      actor: ScriptedPolicy(
        vocabularySize: Self.vocabulary, response: [6, 5],
        row: [Float](repeating: 0, count: Self.vocabulary)),
      reference: BigramNetwork(vocabularySize: Self.vocabulary),
      critic: BigramNetwork(vocabularySize: Self.vocabulary),
      scorer: Seq2SeqTokenScorer(
        model: Self.perfectRewardModel(), specials: Self.specials, config: TokenRewardConfig()),
      specials: Self.specials)
    // The perfect RM writes [6, EOS]: every response scores [+1, −1], mean 0, variance 1.
    let (batch, first) = try trainer.step(prompts: Self.prompts)
    let stats = try #require(first.normalization)
    #expect(stats.updates == 1 && abs(stats.count - (32 + 1e-4)) < 1e-9)
    #expect(abs(stats.mean) < 1e-9 && abs(stats.variance - 1) < 1e-5)
    #expect(abs(batch.scores[0] - 1) < 1e-4 && abs(batch.scores[1] + 1) < 1e-4)
    let names = first.namedValues.map(\.0)
    #expect(
      ["reward/norm_mean", "reward/norm_std", "reward/norm_count"].allSatisfy(names.contains))
    let second = try trainer.step(prompts: Self.prompts).metrics
    #expect(second.normalization?.updates == 2 && abs(second.normalization!.count - 64.0001) < 1e-9)
  }

  /// Same seed, same metrics (timings aside).
  @Test func deterministicForASeed() throws {
    func losses() throws -> [Double] {
      let scorer = Seq2SeqTokenScorer(
        model: Self.perfectRewardModel(), specials: Self.specials, config: TokenRewardConfig())
      return try run(scorer: scorer, iterations: 3).flatMap {
        [$0.rewardMean, $0.policyLoss, $0.valueLoss]
      }
    }
    #expect(try losses() == losses())
  }
}
