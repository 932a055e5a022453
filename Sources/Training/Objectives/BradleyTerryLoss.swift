// Bradley–Terry pairwise loss of the scalar reward model (METHOD.md §3):
//   L = mean_i [ −log σ(r_w,i − r_l,i) + λ · (r_w,i² + r_l,i²) ]
// with λ the reward-magnitude regulariser (framework default 0.001). −log σ(m) is computed as
// softplus(−m) = max(−m, 0) + log1p(exp(−|m|)), which is finite for every finite margin.
// Gradients are with respect to the rewards and already divided by the pair count.

#if canImport(Glibc)
import Glibc
#endif

/// Loss and reward gradients of one batch of preference pairs.
public struct BradleyTerryResult: Sendable, Equatable {
  /// Mean loss over the pairs (nats).
  public var loss: Double
  /// ∂L/∂r_w for each pair.
  public var dChosen: [Float]
  /// ∂L/∂r_l for each pair.
  public var dRejected: [Float]
}

/// −log σ(x) for any finite x without overflow: softplus(−x).
@inline(__always)
func negativeLogSigmoid(_ x: Double) -> Double {
  max(-x, 0) + log1p(exp(-abs(x)))
}

/// σ(x) computed without overflow for large |x|.
@inline(__always)
func sigmoid(_ x: Double) -> Double {
  x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}

/// Bradley–Terry loss −log σ(r_w − r_l) + λ(r_w² + r_l²), averaged over pairs, with its gradients.
/// - Parameters:
///   - chosen: r_w per pair (the reward of the preferred response).
///   - rejected: r_l per pair.
///   - magnitudeCoefficient: λ; 0 turns the regulariser off.
/// - Complexity: O(pairs).
public func bradleyTerryLoss(chosen: [Float], rejected: [Float], magnitudeCoefficient: Double)
  -> BradleyTerryResult
{
  precondition(
    chosen.count == rejected.count && !chosen.isEmpty,
    "bradleyTerryLoss: pair counts differ or are zero")
  let count = Double(chosen.count)
  var loss = 0.0
  var dChosen = [Float](repeating: 0, count: chosen.count)
  var dRejected = [Float](repeating: 0, count: chosen.count)
  for i in chosen.indices {
    let rw = Double(chosen[i])
    let rl = Double(rejected[i])
    let margin = rw - rl
    loss += negativeLogSigmoid(margin) + magnitudeCoefficient * (rw * rw + rl * rl)
    // d/dm [−log σ(m)] = −σ(−m)
    let pull = sigmoid(-margin)
    dChosen[i] = Float((-pull + 2 * magnitudeCoefficient * rw) / count)
    dRejected[i] = Float((pull + 2 * magnitudeCoefficient * rl) / count)
  }
  return BradleyTerryResult(loss: loss / count, dChosen: dChosen, dRejected: dRejected)
}
