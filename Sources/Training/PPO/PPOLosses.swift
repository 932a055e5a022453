// The PPO losses of METHOD.md §4, named after the paper (Schulman et al. 2017, "Proximal Policy
// Optimization Algorithms"), each with its gradient. Layout: flat arrays over the response tokens
// of a minibatch, (rows · width); `mask` is 1 on real tokens (EOS included) and 0 on padding.
// Every mean is a token mean over the real positions of the whole minibatch, so masked entries
// never reach a loss, a gradient or a metric (K21), whatever values sit there.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The clipped surrogate objective and what the trainer logs about it.
public struct PolicyLossResult: Sendable, Equatable {
  /// L^CLIP = −mean( min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A) ), ρ = exp(log π_new − log π_old).
  public var loss: Float
  /// Fraction of real tokens where |ρ − 1| > ε (metric `ppo/clipfrac`).
  public var clipFraction: Float
  /// mean((ρ − 1) − log ρ), the k3 estimator of KL(π_old ‖ π_new) (metric `ppo/approx_kl`).
  public var approximateKL: Float
}

/// Clipped policy loss and its gradient with respect to the new log-probabilities.
///
/// `dNewLogProbs[i]` receives ∂L/∂log π_new(i) = −ρ·A / N where the unclipped term is the
/// minimum (or the ratio is inside the clip range), and 0 where clipping removed the gradient.
/// - Parameters:
///   - newLogProbs, oldLogProbs, advantages, mask: (N_total) flat, same layout.
///   - clipRange: ε (METHOD.md §4 default 0.2).
/// - Returns: the loss, clip fraction and approximate KL (all 0 when no token is real).
public func clippedPolicyLoss(
  newLogProbs: [Float], oldLogProbs: [Float], advantages: [Float], mask: [Float],
  clipRange: Float, dNewLogProbs: inout [Float]
) -> PolicyLossResult {
  let count = newLogProbs.count
  precondition(
    oldLogProbs.count == count && advantages.count == count && mask.count == count,
    "clippedPolicyLoss: inputs differ in shape")
  dNewLogProbs = [Float](repeating: 0, count: count)
  let realCount = mask.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
  guard realCount > 0 else { return PolicyLossResult(loss: 0, clipFraction: 0, approximateKL: 0) }
  let scale = 1 / Double(realCount)
  var (loss, clipped, approxKL) = (0.0, 0.0, 0.0)
  for i in 0..<count where mask[i] != 0 {
    let logRatio = Double(newLogProbs[i]) - Double(oldLogProbs[i])
    let ratio = exp(logRatio)
    let advantage = Double(advantages[i])
    let clippedRatio = min(max(ratio, 1 - Double(clipRange)), 1 + Double(clipRange))
    let unclippedTerm = ratio * advantage
    let clippedTerm = clippedRatio * advantage
    loss -= min(unclippedTerm, clippedTerm)
    if unclippedTerm <= clippedTerm || clippedRatio == ratio {
      dNewLogProbs[i] = Float(-unclippedTerm * scale)  // d(ρA)/d log π = ρA
    }
    if abs(ratio - 1) > Double(clipRange) { clipped += 1 }
    approxKL += (ratio - 1) - logRatio
  }
  return PolicyLossResult(
    loss: Float(loss * scale), clipFraction: Float(clipped * scale),
    approximateKL: Float(approxKL * scale))
}

/// The clipped value loss and its clip fraction.
public struct ValueLossResult: Sendable, Equatable {
  /// L^V = ½·mean( max((V − R)², (clip(V, V_old − c, V_old + c) − R)²) ).
  public var loss: Float
  /// Fraction of real tokens where |V − V_old| > c (metric `ppo/value_clipfrac`).
  public var clipFraction: Float
}

/// Clipped value loss (METHOD.md §4) and its gradient with respect to the new values.
///
/// `dValues[i]` = (V − R)/N where the unclipped square is the larger one, else 0 (the clipped
/// term is constant in V once V is outside the clip range).
/// - Parameters:
///   - values: V from the critic being trained; oldValues: V_old from the rollout;
///     returns: R from GAE; mask: 1 on real tokens. All (N_total) flat.
///   - clipRange: c (METHOD.md §4 default 5.0).
public func clippedValueLoss(
  values: [Float], oldValues: [Float], returns: [Float], mask: [Float], clipRange: Float,
  dValues: inout [Float]
) -> ValueLossResult {
  let count = values.count
  precondition(
    oldValues.count == count && returns.count == count && mask.count == count,
    "clippedValueLoss: inputs differ in shape")
  dValues = [Float](repeating: 0, count: count)
  let realCount = mask.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
  guard realCount > 0 else { return ValueLossResult(loss: 0, clipFraction: 0) }
  let scale = 1 / Double(realCount)
  var (loss, clipped) = (0.0, 0.0)
  for i in 0..<count where mask[i] != 0 {
    let (v, old, target) = (Double(values[i]), Double(oldValues[i]), Double(returns[i]))
    let c = Double(clipRange)
    let vClipped = min(max(v, old - c), old + c)
    let unclippedSquare = (v - target) * (v - target)
    let clippedSquare = (vClipped - target) * (vClipped - target)
    loss += 0.5 * max(unclippedSquare, clippedSquare)
    if unclippedSquare >= clippedSquare { dValues[i] = Float((v - target) * scale) }
    if abs(v - old) > c { clipped += 1 }
  }
  return ValueLossResult(loss: Float(loss * scale), clipFraction: Float(clipped * scale))
}

// MARK: - Per-token log-probabilities and entropy of one logits row

/// log softmax(logits / temperature)[token] for one row of V logits, in Double internally.
public func tokenLogProbability(
  _ token: Int, logits: UnsafeBufferPointer<Float>, temperature: Float = 1
) -> Float {
  let scale = Double(1 / temperature)
  var maxLogit = -Double.infinity
  for z in logits { maxLogit = max(maxLogit, Double(z) * scale) }
  var sum = 0.0
  for z in logits { sum += exp(Double(z) * scale - maxLogit) }
  return Float(Double(logits[token]) * scale - maxLogit - log(sum))
}

/// Entropy H = −Σ p log p of softmax(logits / temperature) for one row, in nats.
public func tokenEntropy(logits: UnsafeBufferPointer<Float>, temperature: Float = 1) -> Float {
  let scale = Double(1 / temperature)
  var maxLogit = -Double.infinity
  for z in logits { maxLogit = max(maxLogit, Double(z) * scale) }
  var sum = 0.0
  for z in logits { sum += exp(Double(z) * scale - maxLogit) }
  let logSum = log(sum)
  var entropy = 0.0
  for z in logits {
    let logP = Double(z) * scale - maxLogit - logSum
    entropy -= exp(logP) * logP
  }
  return Float(entropy)
}

/// `tokenLogProbability` and `tokenEntropy` of one row from a single exp pass (the PPO loop's
/// form; those two are its reference): with u_i = z_i/τ − max and S = Σ e^{u_i},
/// log p(token) = u_token − log S and H = log S − Σ e^{u_i}·u_i / S.
public func tokenLogProbabilityAndEntropy(
  _ token: Int, logits: UnsafeBufferPointer<Float>, temperature: Float = 1
) -> (logProb: Float, entropy: Float) {
  let scale = Double(1 / temperature)
  let s = softmaxStatistics(logits, scale: scale)
  return (Float(Double(logits[token]) * scale - s.maxLogit - s.logSum), Float(s.entropy))
}

/// max z/τ, log S and the entropy of one logits row (`softmaxStatistics`), kept between a row's
/// log-probability pass and its gradient (ResponseLogitRows.swift).
public struct SoftmaxRowStatistics: Sendable, Equatable {
  /// max_i z_i/τ.
  public var maxLogit: Double
  /// log S, S = Σ_i e^{z_i/τ − max}.
  public var logSum: Double
  /// H = −Σ p log p, in nats.
  public var entropy: Double
}

/// max z/τ, log S and the entropy H of softmax(logits · scale), one exp pass (see above).
func softmaxStatistics(
  _ logits: UnsafeBufferPointer<Float>, scale: Double
) -> SoftmaxRowStatistics {
  var maxLogit = -Double.infinity
  for z in logits { maxLogit = max(maxLogit, Double(z) * scale) }
  var sum = 0.0
  var weighted = 0.0
  for z in logits {
    let u = Double(z) * scale - maxLogit
    let e = exp(u)
    sum += e
    weighted += e * u
  }
  let logSum = log(sum)
  return SoftmaxRowStatistics(maxLogit: maxLogit, logSum: logSum, entropy: logSum - weighted / sum)
}

/// Accumulates into one dLogits row the gradient of g·log p(token) + h·H, where p and H come from
/// softmax(logits / temperature): ∂/∂z_i = [g·(1[i = token] − p_i) − h·p_i·(log p_i + H)] / τ.
/// Shapes: logits, dLogits (V). Accumulates (`+=`), as every backward kernel does.
public func accumulateLogProbAndEntropyGradient(
  dLogits: UnsafeMutableBufferPointer<Float>, logits: UnsafeBufferPointer<Float>, token: Int,
  logProbWeight g: Float, entropyWeight h: Float, temperature: Float = 1
) {
  // S and the entropy in one exp pass, then the gradient.
  accumulateLogProbAndEntropyGradient(
    dLogits: dLogits, logits: logits, token: token, logProbWeight: g, entropyWeight: h,
    temperature: temperature,
    statistics: softmaxStatistics(logits, scale: Double(1 / temperature)))
}

/// The same gradient from the row's statistics as `softmaxStatistics` computed them (the update
/// keeps them from its log-probability pass): one exp pass over the row instead of two.
public func accumulateLogProbAndEntropyGradient(
  dLogits: UnsafeMutableBufferPointer<Float>, logits: UnsafeBufferPointer<Float>, token: Int,
  logProbWeight g: Float, entropyWeight h: Float, temperature: Float,
  statistics s: SoftmaxRowStatistics
) {
  let scale = Double(1 / temperature)
  for i in 0..<logits.count {
    let logP = Double(logits[i]) * scale - s.maxLogit - s.logSum
    let p = exp(logP)
    var grad = Double(g) * ((i == token ? 1 : 0) - p)
    if h != 0 { grad -= Double(h) * p * (logP + s.entropy) }
    dLogits[i] += Float(grad * scale)
  }
}
