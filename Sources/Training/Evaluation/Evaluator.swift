// Evaluator: runs a model over validation data (forward only) and computes every metric of its
// objective (issue 7 "Evaluation"): loss and perplexity on target tokens for all language-model
// objectives; pairwise accuracy, margin, length buckets and reward–length correlation for scalar;
// identity agreement, first divergence and preference accuracy from summed token rewards
// (METHOD.md §2, the extraction owned by Training/Rewards) for seq2seq.
// Seq2seq layout: [BOS] x [SEP_RESP] y_in [SEP_CORR] y [EOS]; logits at len(ctx) − 1 + t predict y[t].

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// The special token ids an evaluation needs (read from the tokenizer / manifest, never hard-coded).
public struct SpecialTokens: Sendable, Equatable {
  public var pad: UInt32
  public var bos: UInt32
  public var eos: UInt32
  public var sepResp: UInt32
  public var sepCorr: UInt32

  /// Creates the id set.
  public init(pad: UInt32, bos: UInt32, eos: UInt32, sepResp: UInt32, sepCorr: UInt32) {
    (self.pad, self.bos, self.eos, self.sepResp, self.sepCorr) = (pad, bos, eos, sepResp, sepCorr)
  }
}

/// Token-level reward extraction: the RM's greedy predictions at each response position and the
/// response tokens → one score per response token (METHOD.md §2.2).
public typealias TokenRewardExtractor =
  @Sendable (_ predictions: [UInt32], _ response: [UInt32]) -> [Float]

/// Every metric of one evaluation.
public struct EvaluationResult: Sendable {
  /// Optimizer step the model had taken.
  public var step: Int
  /// Validation loss: nats per target token (sft, seq2seq) or mean Bradley–Terry loss (scalar).
  public var loss: Double
  /// exp(loss) on target tokens (sft, seq2seq).
  public var perplexity: Double?
  /// Fraction of target tokens the model predicts greedily (sft, seq2seq).
  public var tokenAccuracy: Double?
  /// Scalar reward-model metrics.
  public var scalar: ScalarRewardMetrics?
  /// Seq2seq reward-model metrics.
  public var seq2seq: Seq2SeqRewardMetrics?
  /// Validation units evaluated (sequences, or pairs for scalar).
  public var count: Int
}

/// Evaluates models of one objective on validation data.
public struct Evaluator: Sendable {
  public var objective: TrainingObjective
  public var specials: SpecialTokens
  /// Rows per forward pass.
  public var batchSize: Int
  /// Evaluate at most this many units (0 = all).
  public var limit: Int
  /// Scalar: λ of the magnitude regulariser (so the validation loss matches training's).
  public var magnitudeCoefficient: Double
  /// Seq2seq: the token-reward extraction used for preference accuracy.
  public var extractor: TokenRewardExtractor?

  /// Creates an evaluator.
  public init(
    objective: TrainingObjective, specials: SpecialTokens, batchSize: Int, limit: Int,
    magnitudeCoefficient: Double, extractor: TokenRewardExtractor?
  ) {
    self.objective = objective
    self.specials = specials
    self.batchSize = max(batchSize, 1)
    self.limit = limit
    self.magnitudeCoefficient = magnitudeCoefficient
    self.extractor = extractor
  }

  /// Runs every metric of the objective on `data`.
  public func evaluate(model: TrainableModel, data: TrainingData, step: Int) -> EvaluationResult {
    switch objective {
    case .scalar: return evaluateScalar(model: model, data: data, step: step)
    case .sft, .seq2seq:
      var result = evaluateLanguageModel(model: model, data: data, step: step)
      if objective == .seq2seq { result.seq2seq = evaluateSeq2Seq(model: model, data: data) }
      return result
    }
  }

  func limited<T>(_ items: [T]) -> [T] { limit > 0 ? Array(items.prefix(limit)) : items }

  /// Loss, perplexity and greedy token accuracy on the label tokens.
  func evaluateLanguageModel(model: TrainableModel, data: TrainingData, step: Int)
    -> EvaluationResult
  {
    let examples = limited(data.examples)
    var summed = 0.0
    var labels = 0
    var correct = 0
    for start in stride(from: 0, to: examples.count, by: batchSize) {
      let batch = PaddedBatch(
        examples: Array(examples[start..<min(examples.count, start + batchSize)]),
        padID: specials.pad)
      let out = model.forward(
        tokens: batch.tokens, batchSize: batch.batchSize,
        sequenceLength: batch.sequenceLength)
      let r = sequenceMLELoss(
        logits: out.logits, batch: batch, vocabularySize: model.vocabularySize,
        normalization: .tokenMean)
      summed += r.summedTokenLoss
      labels += r.labelCount
      correct += r.correctCount
    }
    let loss = labels == 0 ? 0 : summed / Double(labels)
    return EvaluationResult(
      step: step, loss: loss, perplexity: exp(loss),
      tokenAccuracy: labels == 0 ? nil : Double(correct) / Double(labels), count: examples.count)
  }

  /// Bradley–Terry loss and the scalar metrics on validation pairs.
  func evaluateScalar(model: TrainableModel, data: TrainingData, step: Int) -> EvaluationResult {
    let pairs = limited(data.pairs)
    var chosen: [Float] = []
    var rejected: [Float] = []
    var lossSum = 0.0
    let pairsPerBatch = max(batchSize / 2, 1)
    for start in stride(from: 0, to: pairs.count, by: pairsPerBatch) {
      let slice = Array(pairs[start..<min(pairs.count, start + pairsPerBatch)])
      let batch = pairBatch(slice, padID: specials.pad)
      let out = model.forward(
        tokens: batch.tokens, batchSize: batch.batchSize,
        sequenceLength: batch.sequenceLength)
      let (result, rewards, _) = scalarRewardLoss(
        values: out.values, batch: batch,
        magnitudeCoefficient: magnitudeCoefficient)
      lossSum += result.loss * Double(slice.count)
      for i in slice.indices {
        chosen.append(rewards[2 * i])
        rejected.append(rewards[2 * i + 1])
      }
    }
    let metrics = ScalarRewardMetrics(
      chosenRewards: chosen, rejectedRewards: rejected,
      chosenLengths: pairs.map {
        TrainingData.responseLength($0.chosen, sepRespID: specials.sepResp)
      },
      rejectedLengths: pairs.map {
        TrainingData.responseLength($0.rejected, sepRespID: specials.sepResp)
      })
    return EvaluationResult(
      step: step, loss: pairs.isEmpty ? 0 : lossSum / Double(pairs.count),
      scalar: metrics, count: pairs.count)
  }
}
