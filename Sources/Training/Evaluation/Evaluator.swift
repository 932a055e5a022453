// Evaluator: runs a model over validation data (forward only) and computes every metric of its
// objective (issue 7 "Evaluation"): loss and perplexity on target tokens for the language-model
// objectives; pairwise accuracy, margin, length buckets and reward–length correlation for scalar;
// identity agreement, first divergence and preference accuracy from summed token rewards
// (METHOD.md §2, the extraction owned by Training/Rewards) for seq2seq (Evaluator+Seq2Seq.swift).

import BPE
import Corpus
import Transformer

#if canImport(Glibc)
import Glibc
#endif

/// Every metric of one evaluation.
public struct EvaluationResult: Sendable {
  /// Optimizer steps the model had taken.
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
  /// The objective whose metrics are computed.
  public var objective: TrainingObjective
  /// Special token ids of the tokenizer.
  public var specials: SpecialTokenIDs
  /// Rows per forward pass.
  public var batchSize: Int
  /// Evaluate at most this many units (0 = all).
  public var limit: Int
  /// Scalar: λ of the magnitude regulariser (so the validation loss matches training's).
  public var magnitudeCoefficient: Double
  /// Seq2seq: the token-reward extraction knobs used for preference accuracy.
  public var rewardConfig: TokenRewardConfig

  /// Creates an evaluator.
  public init(
    objective: TrainingObjective, specials: SpecialTokenIDs, batchSize: Int, limit: Int,
    magnitudeCoefficient: Double, rewardConfig: TokenRewardConfig = TokenRewardConfig()
  ) {
    self.objective = objective
    self.specials = specials
    self.batchSize = max(batchSize, 1)
    self.limit = limit
    self.magnitudeCoefficient = magnitudeCoefficient
    self.rewardConfig = rewardConfig
  }

  /// Runs every metric of the objective on `data`.
  /// - Throws: `TrainingError.responseTooLong` when a seq2seq response does not fit the context.
  public func evaluate(model: GPTModel, data: TrainingData, step: Int) throws -> EvaluationResult {
    switch objective {
    case .scalar: return evaluateScalar(model: model, data: data, step: step)
    case .sft, .seq2seq:
      var result = evaluateLanguageModel(model: model, data: data, step: step)
      if objective == .seq2seq { result.seq2seq = try evaluateSeq2Seq(model: model, data: data) }
      return result
    }
  }

  func limited<T>(_ items: [T]) -> [T] { limit > 0 ? Array(items.prefix(limit)) : items }

  /// Loss, perplexity and greedy token accuracy on the label tokens.
  func evaluateLanguageModel(model: GPTModel, data: TrainingData, step: Int) -> EvaluationResult {
    let examples = limited(data.examples)
    var summed = 0.0
    var labels = 0
    var correct = 0
    for start in stride(from: 0, to: examples.count, by: batchSize) {
      let batch = PaddedBatch(
        examples: Array(examples[start..<min(examples.count, start + batchSize)]),
        padID: specials.pad)
      sequenceMLELoss(model: model, batch: batch, normalization: .tokenMean)
      let greedy = greedyPredictions(
        logits: model.logits, vocabularySize: model.config.vocabularySize)
      let losses = model.tokenLosses
      for p in 0..<batch.weights.count where batch.weights[p] != 0 {
        summed += Double(losses[p])
        labels += 1
        if greedy[p] == batch.targets[p] { correct += 1 }
      }
    }
    let loss = labels == 0 ? 0 : summed / Double(labels)
    return EvaluationResult(
      step: step, loss: loss, perplexity: exp(loss),
      tokenAccuracy: labels == 0 ? nil : Double(correct) / Double(labels), count: examples.count)
  }

  /// The scalar reward of every pair's chosen and rejected response, and the mean Bradley–Terry
  /// loss (with the run's regulariser) over them.
  public func scalarPairScores(model: GPTModel, data: TrainingData)
    -> (chosen: [Float], rejected: [Float], loss: Double)
  {
    let pairs = limited(data.pairs)
    var chosen: [Float] = []
    var rejected: [Float] = []
    var lossSum = 0.0
    let pairsPerBatch = max(batchSize / 2, 1)
    for start in stride(from: 0, to: pairs.count, by: pairsPerBatch) {
      let slice = Array(pairs[start..<min(pairs.count, start + pairsPerBatch)])
      let batch = pairBatch(slice, padID: specials.pad)
      batch.tokens.withUnsafeBufferPointer {
        model.forward(
          tokens: $0, batchSize: batch.batchSize, sequenceLength: batch.sequenceLength,
          computeLogits: false)
      }
      let (result, rewards, _) = scalarRewardLoss(
        values: Array(model.values), batch: batch, magnitudeCoefficient: magnitudeCoefficient)
      lossSum += result.loss * Double(slice.count)
      for i in slice.indices {
        chosen.append(rewards[2 * i])
        rejected.append(rewards[2 * i + 1])
      }
    }
    return (chosen, rejected, pairs.isEmpty ? 0 : lossSum / Double(pairs.count))
  }

  /// Bradley–Terry loss and the scalar metrics on validation pairs.
  func evaluateScalar(model: GPTModel, data: TrainingData, step: Int) -> EvaluationResult {
    let pairs = limited(data.pairs)
    let (chosen, rejected, loss) = scalarPairScores(model: model, data: data)
    let sep = specials.sepResp
    let metrics = ScalarRewardMetrics(
      chosenRewards: chosen, rejectedRewards: rejected,
      chosenLengths: pairs.map { TrainingData.responseLength($0.chosen, sepRespID: sep) },
      rejectedLengths: pairs.map { TrainingData.responseLength($0.rejected, sepRespID: sep) })
    return EvaluationResult(
      step: step, loss: loss, scalar: metrics,
      count: pairs.count)
  }
}
