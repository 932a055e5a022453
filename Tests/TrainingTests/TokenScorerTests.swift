// The two reward arms on the engine's GPT model (random weights), over ragged, right-padded
// rollout batches. Seq2seq: the batched single pass equals, row by row, the explicit
// greedy-then-teacher-forced loop run on that row alone (METHOD.md §7.3). Scalar: R(x, y) is read
// at the last real token of each row, equals the value of the row run alone, and lands there and
// nowhere else — never on padding (METHOD.md §3, K19).

import BPE
import Testing
import Transformer

@testable import Training

@Suite struct TokenScorerTests {
  static let specials = SpecialTokenIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4)
  static let vocabulary = 8
  static let width = 6

  /// A random GPT-2 with a sharpened token embedding (std 1 instead of 0.02), so its logits
  /// differ by O(1) and the argmax cannot flip with the batch shape.
  static func randomModel(seed: UInt64, valueHead: Bool = false) -> GPTModel {
    setThreadCount(1)
    let model = GPTModel(
      config: ModelConfig(
        vocabularySize: vocabulary, contextLength: 48, layerCount: 1, headCount: 2,
        channelCount: 16, hasValueHead: valueHead), seed: seed)
    let embedding = model.parameter(named: "transformer.wte.weight")!
    for i in embedding.indices { embedding[i] *= 50 }
    return model
  }

  /// Four rows of different prompt and response lengths; rows 0 and 2 end with EOS, rows 1 and 3
  /// hit the cap or stop short without it (padding after every response shorter than width).
  static func batch(seed: UInt64) -> RolloutBatch {
    var generator = SplitMix64(seed: seed)
    func content(_ n: Int) -> [TokenID] { (0..<n).map { _ in TokenID(5 + generator.next() % 3) } }
    let prompts = [1, 4, 2, 3].map { [specials.bos] + content($0) + [specials.sepResp] }
    let responses = [
      content(2) + [specials.eos], content(width), content(4) + [specials.eos], content(1),
    ]
    return RolloutBatch(
      prompts: prompts, responses: responses, endsWithEOS: [true, false, true, false], width: width)
  }

  /// The model as a `LogitsFunction` on one unpadded sequence.
  static func logitsFunction(_ model: GPTModel) -> LogitsFunction {
    { tokens in
      let network = GPTNetwork(model: model)
      return network.forward(
        tokens: tokens.map { Int32($0) }, batchSize: 1, sequenceLength: tokens.count
      ).logits
    }
  }

  @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
  func seq2seqBatchEqualsExplicitLoopPerRow(seed: UInt64) throws {
    let model = Self.randomModel(seed: seed)
    let batch = Self.batch(seed: seed &* 97)
    for variant in ExtractionVariant.allCases {
      let config = TokenRewardConfig(variant: variant, positiveReward: 1, negativeReward: 2)
      let scorer = Seq2SeqTokenScorer(
        model: GPTNetwork(model: model), specials: Self.specials, config: config)
      let scored = try scorer.score(batch)
      #expect(scored.carriers == batch.mask)
      for row in 0..<batch.rowCount {
        let response = batch.responses[row]
        let loop = try extractTokenRewardsByExplicitLoop(
          prompt: Array(batch.prompts[row].dropFirst().dropLast()), response: response,
          specials: Self.specials, maxLength: model.config.contextLength,
          vocabularySize: Self.vocabulary, config: config, logits: Self.logitsFunction(model))
        #expect(scored.firstDivergence?[row] == loop.firstDivergence, "row \(row)")
        let rowScores = Array(scored.scores[(row * Self.width)..<((row + 1) * Self.width)])
        for t in 0..<Self.width {
          let expected = t < response.count ? loop.scores[t] : 0
          // Variants A and B are exact marks; C carries probabilities from another batch shape.
          #expect(abs(rowScores[t] - expected) <= 1e-5, "row \(row) token \(t) variant \(variant)")
        }
      }
    }
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func scalarScoreSitsOnTheLastRealTokenOnly(seed: UInt64) throws {
    let model = Self.randomModel(seed: seed, valueHead: true)
    let batch = Self.batch(seed: seed &* 89)
    let penalty: Float = 0.25
    let scorer = ScalarTokenScorer(
      model: GPTNetwork(model: model, computesLogits: false), pad: Self.specials.pad,
      missingEOSPenalty: penalty)
    let scored = try scorer.score(batch)
    #expect(scored.firstDivergence == nil)
    for row in 0..<batch.rowCount {
      // R(x, y): the value head at the last token of `[BOS] x [SEP_RESP] y`, run alone.
      let sequence = (batch.prompts[row] + batch.responses[row]).map { Int32($0) }
      let alone = GPTNetwork(model: model, computesLogits: false).forward(
        tokens: sequence, batchSize: 1, sequenceLength: sequence.count
      ).values.last!
      let last = batch.responses[row].count - 1
      for t in 0..<Self.width {
        let i = row * Self.width + t
        if t == last {
          let expected = alone - (batch.endsWithEOS[row] ? 0 : penalty)
          #expect(abs(scored.scores[i] - expected) <= 1e-5, "row \(row)")
          #expect(scored.carriers[i] == 1)
        } else {
          #expect(scored.scores[i] == 0 && scored.carriers[i] == 0, "row \(row) token \(t)")
        }
      }
    }
  }
}
