// Test support: 8 tiny preference pairs over a 24-token vocabulary with the special ids of a
// tokenizer we train (pad 0, bos 1, eos 2, sep_resp 3, sep_corr 4), laid out as rmprep's targets
// (DESIGN.md "Target kinds"), and a tiny GPT for overfit runs.

import BPE
import Transformer

@testable import Training

enum TinyPreferenceData {
  static let specials = SpecialTokenIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4)
  static let vocabularySize = 24

  /// (prompt, chosen, rejected) triples, content ids 5..<24, fixed.
  static let triples: [([UInt32], [UInt32], [UInt32])] = [
    ([5, 6], [7, 8, 9], [10, 11]),
    ([6, 5, 12], [13, 7], [14, 15, 16]),
    ([17], [18, 19, 20, 21], [22, 23]),
    ([8, 8], [9, 10], [11, 12, 13]),
    ([19, 5], [23, 22, 21], [20]),
    ([14], [15, 16, 17], [18, 19]),
    ([21, 22, 23], [5, 6], [7, 8, 9, 10]),
    ([11], [12, 13, 14], [15]),
  ]

  static func sequence(_ parts: [[UInt32]], labelFrom: Int) -> TrainingExample {
    let tokens = parts.flatMap { $0 }
    let mask = tokens.indices.map { $0 >= labelFrom ? UInt8(1) : 0 }
    return TrainingExample(tokens: tokens, mask: mask, documentIndex: 0)
  }

  /// `[BOS] x [SEP_RESP] y_w [EOS]`, labels on y_w and EOS.
  static func sftDocuments() -> [[TrainingExample]] {
    triples.enumerated().map { i, t in
      var e = sequence(
        [[specials.bos], t.0, [specials.sepResp], t.1, [specials.eos]], labelFrom: t.0.count + 2)
      e.documentIndex = i
      return [e]
    }
  }

  /// Correction then identity example per pair, labels on y_w and EOS.
  static func seq2seqDocuments() -> [[TrainingExample]] {
    var documents: [[TrainingExample]] = []
    for (x, w, l) in triples {
      for input in [l, w] {
        let context = [specials.bos] + x + [specials.sepResp] + input + [specials.sepCorr]
        var e = sequence([context, w, [specials.eos]], labelFrom: context.count)
        e.documentIndex = documents.count
        documents.append([e])
      }
    }
    return documents
  }

  /// `[chosen, rejected]` documents; the mask marks the scoring position (last token).
  static func pairDocuments() -> [[TrainingExample]] {
    triples.enumerated().map { i, t in
      [t.1, t.2].map { response in
        let tokens = [specials.bos] + t.0 + [specials.sepResp] + response + [specials.eos]
        var mask = [UInt8](repeating: 0, count: tokens.count)
        mask[mask.count - 1] = 1
        return TrainingExample(tokens: tokens, mask: mask, documentIndex: i)
      }
    }
  }

  static func model(valueHead: Bool = false, seed: UInt64 = 7) -> GPTModel {
    setThreadCount(1)
    return GPTModel(
      config: ModelConfig(
        vocabularySize: vocabularySize, contextLength: 16, layerCount: 2, headCount: 2,
        channelCount: 32, hasValueHead: valueHead), seed: seed)
  }

  static func config(_ objective: TrainingObjective, steps: Int) -> RewardTrainingConfig {
    var c = RewardTrainingConfig(objective: objective)
    c.batchSize = 8
    c.maxSteps = steps
    c.learningRate = 1e-2
    c.warmupFraction = 0
    c.minLearningRateRatio = 1
    c.weightDecay = 0
    c.evalEvery = 0
    c.checkpointEvery = 0
    return c
  }

  static func trainer(_ config: RewardTrainingConfig, model: GPTModel, data: TrainingData) throws
    -> RewardTrainer
  {
    let optimizer = AdamW(
      model: model, learningRate: Float(config.learningRate),
      betas: (Float(config.beta1), Float(config.beta2)), epsilon: Float(config.epsilon),
      weightDecay: Float(config.weightDecay))
    return try RewardTrainer(
      config: config, model: model, optimizer: optimizer, data: data, specials: specials)
  }

  static func evaluator(_ objective: TrainingObjective) -> Evaluator {
    Evaluator(
      objective: objective, specials: specials, batchSize: 8, limit: 0, magnitudeCoefficient: 0.001)
  }
}
