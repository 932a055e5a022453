// RewardTrainer: the optimizer step of `rmtrain sft|seq2seq|scalar`, one straight line with
// numbered steps (STYLE.md F9). Which examples form step s is a pure function of (seed, s)
// (BatchSchedule) and the learning rate is a pure function of s, so a run resumed from a checkpoint
// of (weights, AdamW moments, s) continues bit for bit at the same thread count.

import BPE
import Transformer

#if canImport(Glibc)
import Glibc
#endif

/// What one optimizer step did (one line of metrics.jsonl).
public struct TrainingStepRecord: Sendable, Equatable {
  /// Steps completed, counting this one (1-based).
  public var step: Int
  /// Epoch this step belongs to (0-based).
  public var epoch: Int
  /// Training loss of the batch (nats per label token; Bradley–Terry loss for scalar).
  public var loss: Double
  /// Learning rate used.
  public var learningRate: Double
  /// Global gradient norm before clipping.
  public var gradientNorm: Double
  /// Real (non-padding) tokens in the batch.
  public var tokens: Int
  /// Wall-clock seconds of the step.
  public var seconds: Double
  /// Pairwise accuracy of the batch (scalar only; ties are wrong).
  public var batchAccuracy: Double?

  /// Tokens per second of the step.
  public var tokensPerSecond: Double { seconds > 0 ? Double(tokens) / seconds : 0 }
}

/// Runs optimizer steps of one objective on one model.
public final class RewardTrainer {
  /// Settings of the run.
  public let config: RewardTrainingConfig
  /// The model being trained (a value head is required for scalar).
  public let model: GPTModel
  /// Its optimizer.
  public let optimizer: AdamW
  /// Training examples.
  public let data: TrainingData
  /// Special token ids (the pad id pads batches).
  public let specials: SpecialTokenIDs
  /// Which units form each step.
  public let schedule: BatchSchedule
  /// Learning rate per step.
  public let learningRates: LearningRateSchedule
  /// Steps the run will take in all.
  public let totalSteps: Int
  /// Steps completed so far.
  public private(set) var step: Int

  /// Prepares a run that has completed `startStep` steps (0 for a fresh run).
  /// - Throws: `TrainingError.noTrainingData` for empty data.
  public init(
    config: RewardTrainingConfig, model: GPTModel, optimizer: AdamW, data: TrainingData,
    specials: SpecialTokenIDs, startStep: Int = 0
  ) throws {
    guard data.unitCount > 0 else {
      throw TrainingError.noTrainingData(
        detail:
          "the training split has no usable \(config.objective == .scalar ? "pair" : "sequence") "
          + "(dropped: \(data.dropped))")
    }
    self.config = config
    self.model = model
    self.optimizer = optimizer
    self.data = data
    self.specials = specials
    schedule = BatchSchedule(
      exampleCount: data.unitCount, batchSize: config.batchSize, seed: config.seed)
    totalSteps = config.maxSteps > 0 ? config.maxSteps : schedule.stepsPerEpoch * config.epochs
    learningRates = LearningRateSchedule(
      peak: Float(config.learningRate),
      floor: Float(config.learningRate * config.minLearningRateRatio),
      warmupSteps: Int((config.warmupFraction * Double(totalSteps)).rounded(.up)),
      totalSteps: totalSteps, decay: .cosine)
    step = startStep
  }

  /// True when every step has been taken.
  public var isFinished: Bool { step >= totalSteps }

  /// Takes one optimizer step.
  /// - Throws: `TrainingError.nonFiniteLoss` (with the batch's documents) when the loss or the
  ///   gradient norm is NaN or infinite; the weights are left as they were before the step.
  public func trainStep() throws -> TrainingStepRecord {
    let started = monotonicSeconds()
    // 1. The batch of this step, right-padded.
    let units = schedule.batch(step: step)
    let batch: PaddedBatch
    if config.objective == .scalar {
      batch = pairBatch(units.map { data.pairs[$0] }, padID: specials.pad)
    } else {
      batch = PaddedBatch(examples: units.map { data.examples[$0] }, padID: specials.pad)
    }
    // 2. Forward and loss, 3. backward.
    model.zeroGradients()
    var loss: Double
    var accuracy: Double?
    if config.objective == .scalar {
      batch.tokens.withUnsafeBufferPointer {
        model.forward(
          tokens: $0, batchSize: batch.batchSize, sequenceLength: batch.sequenceLength,
          computeLogits: false)
      }
      let (result, rewards, dValues) = scalarRewardLoss(
        values: Array(model.values), batch: batch, magnitudeCoefficient: config.magnitudeCoefficient
      )
      loss = result.loss
      let pairs = rewards.count / 2
      accuracy =
        Double((0..<pairs).filter { rewards[2 * $0] > rewards[2 * $0 + 1] }.count) / Double(pairs)
      dValues.withUnsafeBufferPointer { model.backward(dLogits: nil, dValues: $0) }
    } else {
      loss = shortestDouble(
        sequenceMLELoss(model: model, batch: batch, normalization: config.lossNormalization))
      model.backward(dLogits: model.logitGradients, dValues: nil)
    }
    // 4. Refuse a diverged step before it touches the weights (K18).
    let norm = shortestDouble(
      model.clipGradients(maxNorm: Float(config.gradientClip > 0 ? config.gradientClip : .infinity))
    )
    guard loss.isFinite, norm.isFinite else {
      throw TrainingError.nonFiniteLoss(step: step + 1, documents: batch.documentIndices)
    }
    // 5. AdamW step at the scheduled rate.
    let rate = learningRates.rate(at: step)
    optimizer.step(learningRate: rate)
    let epoch = step / schedule.stepsPerEpoch
    step += 1
    return TrainingStepRecord(
      step: step, epoch: epoch, loss: loss, learningRate: shortestDouble(rate), gradientNorm: norm,
      tokens: batch.realTokenCount, seconds: monotonicSeconds() - started, batchAccuracy: accuracy)
  }
}

/// Monotonic clock in seconds.
func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// A Float widened to the Double with the same shortest decimal text (0.001, not 0.0010000000474974513),
/// so metrics.jsonl shows the value that was used.
func shortestDouble(_ value: Float) -> Double { Double(value.description) ?? Double(value) }
