// Generalized advantage estimation (Schulman et al. 2016, "High-Dimensional Continuous Control
// Using Generalized Advantage Estimation") over the response tokens of a rollout batch.
// Layout: every array is (rows, width) row-major, one row per response; `mask[b, t] = 1` marks a
// real response token (EOS included), 0 marks padding after the response. The critic value
// `values[b, t]` is V(s_t), the value of the state from which response token t is generated, so
// the state after the last real token is terminal and its value is 0 by definition (K21): values,
// rewards and anything else stored at masked positions never reach an output.

/// Advantages and returns of a rollout batch, both (rows, width); zero at masked positions.
public struct AdvantageEstimates: Sendable, Equatable {
  /// A_t = Σ_l (γλ)^l δ_{t+l}, with δ_t = r_t + γ V_{t+1} − V_t over real tokens only.
  public var advantages: [Float]
  /// Return targets for the critic: R_t = A_t + V_t.
  public var returns: [Float]
}

/// GAE(γ, λ) over the real response tokens of each row, one backward pass per row.
///
/// Masked positions are skipped: they get advantage 0 and return 0, and whatever rewards or
/// values sit there never influence a real position (the value after the terminal token is 0).
/// - Parameters:
///   - rewards, values, mask: (rows, width) row-major; mask entries are 0 or 1.
///   - gamma: discount γ (METHOD.md §4 default 1.0).
///   - lambda: GAE λ (default 0.95).
/// - Complexity: O(rows · width).
/// - Example: rewards `[0, 0, 1]`, values `[0, 0, 0]`, γ = 1, λ = 0.95 gives advantages
///   `[0.9025, 0.95, 1]`.
public func generalizedAdvantageEstimates(
  rewards: [Float], values: [Float], mask: [Float], width: Int, gamma: Float, lambda: Float
) -> AdvantageEstimates {
  precondition(width > 0 && rewards.count % width == 0, "gae: rewards must be (rows, width)")
  precondition(
    values.count == rewards.count && mask.count == rewards.count,
    "gae: rewards, values and mask must have the same shape (rows, width)")
  var advantages = [Float](repeating: 0, count: rewards.count)
  var returns = [Float](repeating: 0, count: rewards.count)
  let rows = rewards.count / width
  for row in 0..<rows {
    let base = row * width
    var nextValue: Float = 0  // V of the state after the last real token: terminal, 0
    var carry: Float = 0  // A_{t+1}
    for t in stride(from: width - 1, through: 0, by: -1) {
      let i = base + t
      if mask[i] == 0 { continue }  // padding: not a step of the episode
      let delta = rewards[i] + gamma * nextValue - values[i]
      carry = delta + gamma * lambda * carry
      advantages[i] = carry
      returns[i] = carry + values[i]
      nextValue = values[i]
    }
  }
  return AdvantageEstimates(advantages: advantages, returns: returns)
}

/// Reference GAE: the explicit sum A_t = Σ_l (γλ)^l δ_{t+l} over the real positions of each
/// row, in Double. O(rows · width²); the test oracle for `generalizedAdvantageEstimates`.
public func generalizedAdvantageEstimatesReference(
  rewards: [Float], values: [Float], mask: [Float], width: Int, gamma: Float, lambda: Float
) -> AdvantageEstimates {
  var advantages = [Float](repeating: 0, count: rewards.count)
  var returns = [Float](repeating: 0, count: rewards.count)
  let (g, l) = (Double(gamma), Double(lambda))
  for row in 0..<(rewards.count / width) {
    let real = (0..<width).map { row * width + $0 }.filter { mask[$0] != 0 }
    // δ over the compacted real positions; the value after the last one is 0.
    let deltas = real.indices.map { j -> Double in
      let next = j + 1 < real.count ? Double(values[real[j + 1]]) : 0
      return Double(rewards[real[j]]) + g * next - Double(values[real[j]])
    }
    for j in real.indices {
      var sum = 0.0
      var weight = 1.0
      for m in j..<real.count {
        sum += weight * deltas[m]
        weight *= g * l
      }
      advantages[real[j]] = Float(sum)
      returns[real[j]] = Float(sum + Double(values[real[j]]))
    }
  }
  return AdvantageEstimates(advantages: advantages, returns: returns)
}

/// Masked whitening: (x − mean) / sqrt(var + 1e-8) over the positions where `mask` is 1
/// (population variance), with 0 at masked positions. Used for optional advantage whitening.
/// Returns the input unchanged (masked positions zeroed) when fewer than 2 positions are real.
public func maskedWhiten(_ x: [Float], mask: [Float]) -> [Float] {
  precondition(x.count == mask.count, "maskedWhiten: x and mask differ in shape")
  let count = mask.reduce(0) { $0 + Double($1) }
  guard count >= 2 else { return zip(x, mask).map { $1 == 0 ? 0 : $0 } }
  var sum = 0.0
  for i in x.indices where mask[i] != 0 { sum += Double(x[i]) }
  let mean = sum / count
  var squares = 0.0
  for i in x.indices where mask[i] != 0 { squares += (Double(x[i]) - mean) * (Double(x[i]) - mean) }
  let scale = 1 / (squares / count + 1e-8).squareRoot()
  return x.indices.map { mask[$0] == 0 ? 0 : Float((Double(x[$0]) - mean) * scale) }
}

/// Σ x·mask / Σ mask, computed in Double; 0 when no position is real. The one reduction every
/// PPO loss and metric uses (AReaL #1346: padded entries never enter a mean).
public func maskedMean(_ x: [Float], mask: [Float]) -> Float {
  precondition(x.count == mask.count, "maskedMean: x and mask differ in shape")
  var sum = 0.0
  var count = 0.0
  for i in x.indices where mask[i] != 0 {
    sum += Double(x[i])
    count += 1
  }
  return count == 0 ? 0 : Float(sum / count)
}
