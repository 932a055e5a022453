// The PPO loop of METHOD.md §7.2 step 4, as one straight line with numbered steps (STYLE.md A12,
// F9): rollout → log-probs, values, scores → KL-penalized rewards → GAE → clipped updates of
// the actor and the critic. Identical for both reward arms; only the TokenScorer differs.
// Per-token arrays are (rows, width) over response tokens (RolloutBatch.swift has the layout).

import BPE
import Transformer

#if canImport(Glibc)
import Glibc
#endif

/// Runs PPO iterations on an actor, a frozen reference, a critic and a reward arm.
public final class PPOTrainer {
  /// The knobs.
  public let config: PPOConfig
  /// π_θ, trained; starts as a copy of the SFT policy.
  public let actor: any PolicyNetwork
  /// π_ref, frozen; the SFT policy.
  public let reference: any PPONetwork
  /// V_φ, trained; a model with a value head.
  public let critic: any PPONetwork
  /// The reward arm.
  public let scorer: any TokenScorer
  /// Special ids (EOS for sampling, PAD for packing).
  public let specials: SpecialTokenIDs
  /// Iterations completed (resumes from a checkpoint).
  public var iteration = 0
  /// Actor optimizer steps taken (drives the learning-rate schedule).
  public var updateStep = 0
  /// Running statistics of the reward-model scores (used when `normalizeRewards`).
  public var rewardStatistics = RunningMeanStd()
  /// Consecutive iterations with a negative mean KL (K20 warning).
  public var negativeKLStreak = 0

  /// A trainer; the models must share the vocabulary and special ids (checked by the caller).
  public init(
    config: PPOConfig, actor: any PolicyNetwork, reference: any PPONetwork,
    critic: any PPONetwork, scorer: any TokenScorer, specials: SpecialTokenIDs
  ) {
    self.config = config
    self.actor = actor
    self.reference = reference
    self.critic = critic
    self.scorer = scorer
    self.specials = specials
  }

  /// One PPO iteration on `prompts` (`[BOS] x [SEP_RESP]` each).
  /// - Returns: the rollout batch (for samples and refusal counting) and the metrics.
  /// - Throws: `TrainingError.nonFiniteInPPO` when a reward or loss is NaN/∞;
  ///   `TrainingError.responseTooLong` from the reward arm.
  public func step(prompts: [[TokenID]]) throws -> (batch: RolloutBatch, metrics: PPOMetrics) {
    iteration += 1
    var metrics = PPOMetrics()
    metrics.iteration = iteration
    let width = config.maxNewTokens
    let vocabulary = actor.vocabularySize
    let clock = ContinuousClock()

    // 1. Rollout: sample one response per prompt from the actor (KV cache, plain temperature).
    var start = clock.now
    var cpuStart = processCPUSeconds()
    let sampled = actor.sample(
      prompts: prompts, maxNewTokens: width, temperature: config.temperature, eos: specials.eos,
      seed: config.seed &* 0x9E37_79B9 &+ UInt64(iteration))
    var batch = RolloutBatch(
      prompts: prompts, responses: sampled.map(\.tokens), endsWithEOS: sampled.map(\.endsWithEOS),
      width: width)
    let allRows = Array(0..<batch.rowCount)
    metrics.rolloutTokensPerSecond = Double(batch.tokenCount) / seconds(clock.now - start)
    metrics.rolloutCPUSeconds = processCPUSeconds() - cpuStart

    // 2. Log-probabilities of the sampled tokens under π_old and π_ref (same code, same
    //    temperature, so the KL is exactly 0 while they are equal: K20), and V_old.
    start = clock.now
    cpuStart = processCPUSeconds()
    let packed = PackedSequences(
      prompts: batch.prompts, responses: batch.responses, pad: specials.pad)
    //    Logits only where a response token is scored (not over the prompt).
    let positions = packed.responsePositions(lengths: batch.responses.map(\.count))
    let actorOut = actor.forward(
      tokens: packed.tokens, batchSize: packed.batchSize, sequenceLength: packed.sequenceLength,
      logitPositions: positions)
    (batch.logProbs, batch.entropies, _) = actorOut.logits.withUnsafeBufferPointer {
      responseLogProbs(
        logits: $0, responses: batch.responses, rows: allRows, width: width,
        vocabularySize: vocabulary, temperature: config.temperature, withEntropy: true)
    }
    let referenceOut = reference.forward(
      tokens: packed.tokens, batchSize: packed.batchSize, sequenceLength: packed.sequenceLength,
      logitPositions: positions)
    batch.referenceLogProbs = referenceOut.logits.withUnsafeBufferPointer {
      responseLogProbs(
        logits: $0, responses: batch.responses, rows: allRows, width: width,
        vocabularySize: vocabulary, temperature: config.temperature, withEntropy: false
      ).logProbs
    }
    let criticOut = critic.forward(
      tokens: packed.tokens, batchSize: packed.batchSize, sequenceLength: packed.sequenceLength)
    batch.values = gatherResponseValues(
      values: criticOut.values, packed: packed, responses: batch.responses, rows: allRows,
      width: width)

    // 3. Reward-model scores s_t, optionally normalised by running statistics (K22).
    let scored = try scorer.score(batch)
    batch.scores = scored.scores
    let rawSequenceScores = rowSums(scored.scores, mask: batch.mask, width: width)
    if config.normalizeRewards {
      rewardStatistics.update(
        scored.scores.indices.filter { scored.carriers[$0] != 0 }.map { scored.scores[$0] })
      for i in batch.scores.indices where scored.carriers[i] != 0 {
        batch.scores[i] = rewardStatistics.normalize(batch.scores[i])
      }
      metrics.normalization = rewardStatistics
    }
    metrics.rewardTokensPerSecond = Double(batch.tokenCount) / seconds(clock.now - start)
    metrics.rewardCPUSeconds = processCPUSeconds() - cpuStart

    // 4. r_t = clip(s_t − β·(log π − log π_ref)) on real tokens (METHOD.md §2.3).
    let penalized = penalizedRewards(
      scores: batch.scores, logProbs: batch.logProbs, referenceLogProbs: batch.referenceLogProbs,
      mask: batch.mask, klCoefficient: config.klCoefficient, rewardClip: config.rewardClip)
    (batch.rewards, batch.kl) = (penalized.rewards, penalized.kl)
    guard batch.rewards.allSatisfy({ $0.isFinite }) else {
      throw TrainingError.nonFiniteInPPO(what: "reward", iteration: iteration)
    }

    // 5. GAE(γ, λ) over response tokens only; optional whitening.
    let estimates = generalizedAdvantageEstimates(
      rewards: batch.rewards, values: batch.values, mask: batch.mask, width: width,
      gamma: config.gamma, lambda: config.gaeLambda)
    metrics.advantageMean = Double(maskedMean(estimates.advantages, mask: batch.mask))
    batch.advantages =
      config.whitenAdvantages
      ? maskedWhiten(estimates.advantages, mask: batch.mask) : estimates.advantages
    batch.returns = estimates.returns

    // 6. PPO epochs over shuffled minibatches: clipped policy loss (+ entropy bonus) for the
    //    actor, clipped value loss for the critic, each with its own optimizer.
    start = clock.now
    cpuStart = processCPUSeconds()
    var generator = SeededGenerator(seed: config.seed &+ 0x5EED &* UInt64(iteration))
    var minibatchCount = 0.0
    for _ in 0..<config.ppoEpochs {
      let order = permutation(batch.rowCount, using: &generator)
      for first in stride(from: 0, to: order.count, by: config.minibatchSize) {
        let rows = Array(order[first..<min(first + config.minibatchSize, order.count)])
        let result = try update(batch: batch, rows: rows)
        metrics.policyLoss += Double(result.policy.loss)
        metrics.clipFraction += Double(result.policy.clipFraction)
        metrics.approximateKL += Double(result.policy.approximateKL)
        metrics.valueLoss += Double(result.value.loss)
        metrics.valueClipFraction += Double(result.value.clipFraction)
        minibatchCount += 1
      }
    }
    metrics.updateTokensPerSecond =
      Double(batch.tokenCount * config.ppoEpochs) / seconds(clock.now - start)
    metrics.updateCPUSeconds = processCPUSeconds() - cpuStart

    // 7. Metrics.
    let rows = Double(batch.rowCount)
    metrics.rewardMean = rawSequenceScores.reduce(0, +) / rows
    metrics.rewardStd =
      (rawSequenceScores.reduce(0) { $0 + ($1 - metrics.rewardMean) * ($1 - metrics.rewardMean) }
      / rows)
      .squareRoot()
    metrics.kl = Double(meanSequenceKL(batch.kl, mask: batch.mask, width: width))
    metrics.penalizedRewardMean =
      rowSums(batch.rewards, mask: batch.mask, width: width).reduce(0, +) / rows
    metrics.responseLengthMean = Double(batch.tokenCount) / rows
    metrics.eosFraction = Double(batch.endsWithEOS.filter { $0 }.count) / rows
    metrics.entropy = Double(maskedMean(batch.entropies, mask: batch.mask))
    metrics.returnMean = Double(maskedMean(batch.returns, mask: batch.mask))
    if let k = scored.firstDivergence {
      metrics.firstDivergenceMean = Double(k.reduce(0, +)) / rows
    }
    for keyPath in [
      \PPOMetrics.policyLoss, \.clipFraction, \.approximateKL, \.valueLoss, \.valueClipFraction,
    ] {
      metrics[keyPath: keyPath] /= max(1, minibatchCount)
    }
    metrics.actorLearningRate = Double(config.actorLearningRate(atStep: max(0, updateStep - 1)))
    negativeKLStreak = metrics.kl < 0 ? negativeKLStreak + 1 : 0
    if negativeKLStreak >= 5 {
      metrics.warnings.append(
        "mean KL has been negative for \(negativeKLStreak) iterations (K20): check that sampling "
          + "uses the same temperature as the log-probabilities and that padding is masked")
    }
    return (batch, metrics)
  }

  /// Sets the minibatch's actor and critic losses, back-propagates them and steps both optimizers.
  func update(batch: RolloutBatch, rows: [Int]) throws -> (
    policy: PolicyLossResult, value: ValueLossResult
  ) {
    let width = batch.width
    let vocabulary = actor.vocabularySize
    let mask = selectRows(batch.mask, rows: rows, width: width)
    let packed = PackedSequences(
      prompts: batch.prompts, responses: batch.responses, pad: specials.pad, rows: rows)

    // Actor: L = L^CLIP − c_ent · mean(H); gradient into the logits of the predicting positions.
    let positions = packed.responsePositions(lengths: rows.map { batch.responses[$0].count })
    let out = actor.forward(
      tokens: packed.tokens, batchSize: packed.batchSize, sequenceLength: packed.sequenceLength,
      logitPositions: positions)
    //    Each row's softmax statistics are kept for its gradient below (ResponseLogitRows.swift).
    let (newLogProbs, _, statistics) = out.logits.withUnsafeBufferPointer {
      responseLogProbs(
        logits: $0, responses: batch.responses, rows: rows, width: width,
        vocabularySize: vocabulary, temperature: config.temperature, withEntropy: true)
    }
    var dLogProbs: [Float] = []
    let policy = clippedPolicyLoss(
      newLogProbs: newLogProbs, oldLogProbs: selectRows(batch.logProbs, rows: rows, width: width),
      advantages: selectRows(batch.advantages, rows: rows, width: width), mask: mask,
      clipRange: config.clipRange, dNewLogProbs: &dLogProbs)
    guard policy.loss.isFinite else {
      throw TrainingError.nonFiniteInPPO(what: "policy loss", iteration: iteration)
    }
    let realTokens = Float(max(1, mask.reduce(0, +)))
    var dLogits = parallelZeros(count: out.logits.count)
    dLogits.withUnsafeMutableBufferPointer { d in
      out.logits.withUnsafeBufferPointer { z in
        accumulateResponseGradients(
          dLogits: d, logits: z, statistics: statistics, responses: batch.responses, rows: rows,
          width: width, vocabularySize: vocabulary, logProbWeights: dLogProbs,
          entropyWeight: -config.entropyCoefficient / realTokens, temperature: config.temperature)
      }
    }
    actor.zeroGradients()
    actor.backward(
      dLogits: dLogits, logitPositions: positions,
      positionCount: packed.batchSize * packed.sequenceLength, dValues: nil)
    _ = actor.clipGradients(maxNorm: Double(config.gradientClip))
    actor.optimizerStep(learningRate: Double(config.actorLearningRate(atStep: updateStep)))
    updateStep += 1

    // Critic: ½·mean(max((V − R)², (clip(V) − R)²)); gradient into the predicting positions.
    let criticOut = critic.forward(
      tokens: packed.tokens, batchSize: packed.batchSize, sequenceLength: packed.sequenceLength)
    let values = gatherResponseValues(
      values: criticOut.values, packed: packed, responses: batch.responses, rows: rows, width: width
    )
    var dValuesByToken: [Float] = []
    let value = clippedValueLoss(
      values: values, oldValues: selectRows(batch.values, rows: rows, width: width),
      returns: selectRows(batch.returns, rows: rows, width: width), mask: mask,
      clipRange: config.valueClipRange, dValues: &dValuesByToken)
    guard value.loss.isFinite else {
      throw TrainingError.nonFiniteInPPO(what: "value loss", iteration: iteration)
    }
    var dValues = [Float](repeating: 0, count: criticOut.values.count)
    for (row, index) in rows.enumerated() {
      for t in batch.responses[index].indices {
        dValues[packed.predictingPosition(row: row, token: t)] = dValuesByToken[row * width + t]
      }
    }
    critic.zeroGradients()
    critic.backward(dLogits: nil, dValues: dValues)
    _ = critic.clipGradients(maxNorm: Double(config.gradientClip))
    critic.optimizerStep(learningRate: Double(config.criticLearningRate))
    return (policy, value)
  }
}

/// The rows `rows` of a (rows, width) array, in that order.
func selectRows(_ x: [Float], rows: [Int], width: Int) -> [Float] {
  var out: [Float] = []
  out.reserveCapacity(rows.count * width)
  for row in rows { out += x[(row * width)..<((row + 1) * width)] }
  return out
}

/// Σ over each row's real tokens, in Double.
func rowSums(_ x: [Float], mask: [Float], width: Int) -> [Double] {
  (0..<(x.count / width)).map { row in
    (0..<width).reduce(0.0) { $0 + (mask[row * width + $1] != 0 ? Double(x[row * width + $1]) : 0) }
  }
}

/// Seconds in a Duration (at least 1 ns, so rates stay finite).
func seconds(_ duration: Duration) -> Double {
  let (s, attoseconds) = duration.components
  return max(1e-9, Double(s) + Double(attoseconds) * 1e-18)
}

/// CPU seconds used so far by the whole process, all threads (CLOCK_PROCESS_CPUTIME_ID, the clock
/// of Python's `time.process_time`).
func processCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// A seeded Fisher–Yates permutation of 0..<count (minibatch order).
func permutation(_ count: Int, using generator: inout SeededGenerator) -> [Int] {
  var order = Array(0..<count)
  for i in stride(from: count - 1, to: 0, by: -1) {
    order.swapAt(i, Int(generator.next() % UInt64(i + 1)))
  }
  return order
}
