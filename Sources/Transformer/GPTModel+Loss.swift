// Objectives on top of the last forward: weighted token cross-entropy (which also prepares
// the logit gradients for backward) and per-token log-probabilities (PPO, evaluation).
// Position t's logits predict the token at t + 1: callers pass targets already shifted,
// targets[b, t] = tokens[b, t + 1], with weight 0 where there is no label.

extension GPTModel {
  /// Weighted cross-entropy over the last forward's logits, and its gradient in
  /// `logitGradients`:
  ///   loss = Σ_{b,t} w[b,t] · −log p(targets[b,t] | tokens[b, ≤t]) / normalizer,
  /// with `normalizer` = Σ w when nil (the weighted mean; 0 when all weights are 0).
  /// Weights may be negative: with w = −c and normalizer 1 the gradient is that of
  /// Σ c · log p (policy gradients). Follow with `backward(dLogits: logitGradients, …)`.
  /// - Parameters:
  ///   - targets: (B, T) token ids in 0..<V (any valid id where the weight is 0).
  ///   - weights: (B, T) per-token weights (the loss mask, or mask × weight).
  ///   - normalizer: divisor of the weighted sum; nil means Σ weights.
  /// - Returns: the loss (a Float; summed in Double, deterministic).
  @discardableResult
  public func crossEntropy(
    targets: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>,
    normalizer: Float? = nil
  ) -> Float {
    guard let a = activations, logitsAreValid else {
      fatalError("crossEntropy: call forward(…, computeLogits: true) first")
    }
    let N = a.batchSize * a.sequenceLength
    let V = config.vocabularySize
    guard targets.count == N, weights.count == N else {
      fatalError("crossEntropy: targets and weights must have B·T = \(N) entries")
    }
    for (n, target) in targets.enumerated()
    where weights[n] != 0 && (target < 0 || Int(target) >= V) {
      fatalError("crossEntropy: target \(target) at row \(n) outside the vocabulary 0..<\(V)")
    }
    var divisor = normalizer ?? 0
    if normalizer == nil { for w in weights { divisor += w } }
    return crossEntropyForwardBackward(
      dLogits: a.scratchPointer(a.dLogits), rowLoss: a.pointer(a.rowLoss),
      logits: a.pointer(a.logits), targets: targets.baseAddress!, weights: weights.baseAddress!,
      normalizer: divisor, rows: N, vocabulary: V)
  }

  /// Per-row weighted losses w·(−log p) of the last `crossEntropy` call (B, T), unnormalized.
  public var tokenLosses: UnsafeBufferPointer<Float> {
    guard let a = activations else { fatalError("tokenLosses: call forward first") }
    return UnsafeBufferPointer(a.arena[a.rowLoss])
  }

  /// The logit gradients (B, T, V) written by `crossEntropy`. Callers with their own
  /// objective may also write into it (`mutableLogitGradients`) and pass it to `backward`.
  public var logitGradients: UnsafeBufferPointer<Float> {
    UnsafeBufferPointer(mutableLogitGradients)
  }

  /// Writable view of `logitGradients`, for objectives computed outside the engine.
  public var mutableLogitGradients: UnsafeMutableBufferPointer<Float> {
    guard let a = activations else { fatalError("logitGradients: call forward first") }
    return a.scratch[a.dLogits]
  }

  /// log p(targets[b, t] | tokens[b, ≤ t]) for every position of the last forward, into
  /// `logProbabilities` (B, T); optionally the entropy of each position's distribution.
  /// Uses the unmodified distribution (temperature 1, no top-k/top-p).
  public func tokenLogProbabilities(
    targets: UnsafeBufferPointer<Int32>, into logProbabilities: UnsafeMutableBufferPointer<Float>,
    entropy: UnsafeMutableBufferPointer<Float>? = nil
  ) {
    guard let a = activations, logitsAreValid else {
      fatalError("tokenLogProbabilities: call forward(…, computeLogits: true) first")
    }
    let N = a.batchSize * a.sequenceLength
    let V = config.vocabularySize
    guard targets.count == N, logProbabilities.count == N, entropy.map({ $0.count == N }) ?? true
    else { fatalError("tokenLogProbabilities: buffers must have B·T = \(N) entries") }
    for target in targets where target < 0 || Int(target) >= V {
      fatalError("tokenLogProbabilities: target \(target) outside the vocabulary 0..<\(V)")
    }
    tokenLogProbabilitiesForward(
      logProbabilities.baseAddress!, entropy: entropy?.baseAddress, logits: a.pointer(a.logits),
      targets: targets.baseAddress!, rows: N, vocabulary: V)
  }
}
