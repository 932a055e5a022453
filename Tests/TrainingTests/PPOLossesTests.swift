// The clipped policy and value losses on hand-computed numbers, their gradients against finite
// differences, and the entropy/log-prob gradient of one logits row.

import Foundation
import Testing

@testable import Training

@Suite struct PPOLossesTests {
  /// ε = 0.2; four real tokens and one pad (garbage at the pad):
  ///   ρ = 1.5, A = 1  → min(1.5, 1.2) = 1.2   clipped, no gradient
  ///   ρ = 0.5, A = −2 → min(−1, −1.6) = −1.6  clipped, no gradient
  ///   ρ = 1.1, A = 2  → min(2.2, 2.2) = 2.2   in range, ∂/∂logπ = −2.2/4
  ///   ρ = 1.5, A = −1 → min(−1.5, −1.2) = −1.5 outside the range but unclipped term is the min:
  ///                                            gradient flows, ∂/∂logπ = +1.5/4
  /// L = −(1.2 − 1.6 + 2.2 − 1.5)/4 = −0.075; clip fraction 3/4;
  /// approx KL = mean((ρ−1) − ln ρ) = 0.0967267.
  @Test func clippedPolicyLossHandValues() {
    let ratios: [Double] = [1.5, 0.5, 1.1, 1.5, 3]
    let old: [Float] = [-1, -2, -0.5, -3, -1]
    let new = zip(ratios, old).map { Float(log($0) + Double($1)) }
    var grad: [Float] = []
    let result = clippedPolicyLoss(
      newLogProbs: new, oldLogProbs: old, advantages: [1, -2, 2, -1, 100],
      mask: [1, 1, 1, 1, 0], clipRange: 0.2, dNewLogProbs: &grad)
    #expect(abs(result.loss - -0.075) < 1e-6)
    #expect(result.clipFraction == 0.75)
    #expect(abs(result.approximateKL - 0.0967267) < 1e-6)
    let expected: [Float] = [0, 0, -2.2 / 4, 1.5 / 4, 0]
    for i in 0..<5 { #expect(abs(grad[i] - expected[i]) < 1e-6) }
  }

  /// c = 5: V = [2, 0, 10], V_old = [1, 0, 0], R = [0, 1, 10]:
  ///   t0: (2−0)² = 4, clip(2, −4, 6) = 2 → 4;  gradient (2 − 0)/3
  ///   t1: (0−1)² = 1 → 1;                       gradient (0 − 1)/3
  ///   t2: (10−10)² = 0, clip(10, −5, 5) = 5 → 25 wins; gradient 0; clipped
  /// L = ½·(4 + 1 + 25)/3 = 5; clip fraction 1/3.
  @Test func clippedValueLossHandValues() {
    var grad: [Float] = []
    let result = clippedValueLoss(
      values: [2, 0, 10, 7], oldValues: [1, 0, 0, -7], returns: [0, 1, 10, 3],
      mask: [1, 1, 1, 0], clipRange: 5, dValues: &grad)
    #expect(result.loss == 5)
    #expect(abs(result.clipFraction - 1.0 / 3) < 1e-7)
    let expected: [Float] = [2.0 / 3, -1.0 / 3, 0, 0]
    for i in 0..<4 { #expect(abs(grad[i] - expected[i]) < 1e-6) }
  }

  /// Central differences on random inputs away from the clip kinks.
  @Test func policyAndValueGradientsMatchFiniteDifferences() {
    var generator = SplitMix64(seed: 3)
    let count = 12
    let old = (0..<count).map { _ in -generator.nextFloat() * 3 }
    let new = old.map { $0 + (generator.nextFloat() - 0.5) * 0.6 }
    let advantages = (0..<count).map { _ in generator.nextFloat() * 2 - 1 }
    let mask: [Float] = (0..<count).map { $0 % 5 == 4 ? 0 : 1 }
    var grad: [Float] = []
    _ = clippedPolicyLoss(
      newLogProbs: new, oldLogProbs: old, advantages: advantages, mask: mask, clipRange: 0.2,
      dNewLogProbs: &grad)
    let h: Float = 1e-3
    var scratch: [Float] = []
    for i in 0..<count {
      var plus = new
      plus[i] += h
      var minus = new
      minus[i] -= h
      let lp = clippedPolicyLoss(
        newLogProbs: plus, oldLogProbs: old, advantages: advantages,
        mask: mask, clipRange: 0.2, dNewLogProbs: &scratch
      ).loss
      let lm = clippedPolicyLoss(
        newLogProbs: minus, oldLogProbs: old, advantages: advantages,
        mask: mask, clipRange: 0.2, dNewLogProbs: &scratch
      ).loss
      let ratio = exp(new[i] - old[i])
      if abs(abs(ratio - 1) - 0.2) < 0.01 { continue }  // at a kink
      #expect(abs((lp - lm) / (2 * h) - grad[i]) < 2e-3, "policy gradient at \(i)")
    }
    let values = (0..<count).map { _ in generator.nextFloat() * 4 - 2 }
    let oldValues = values.map { $0 + (generator.nextFloat() - 0.5) * 3 }
    let returns = (0..<count).map { _ in generator.nextFloat() * 4 - 2 }
    _ = clippedValueLoss(
      values: values, oldValues: oldValues, returns: returns, mask: mask,
      clipRange: 1, dValues: &grad)
    for i in 0..<count {
      var plus = values
      plus[i] += h
      var minus = values
      minus[i] -= h
      let lp = clippedValueLoss(
        values: plus, oldValues: oldValues, returns: returns, mask: mask,
        clipRange: 1, dValues: &scratch
      ).loss
      let lm = clippedValueLoss(
        values: minus, oldValues: oldValues, returns: returns, mask: mask,
        clipRange: 1, dValues: &scratch
      ).loss
      #expect(abs((lp - lm) / (2 * h) - grad[i]) < 2e-3, "value gradient at \(i)")
    }
  }

  /// logits [0, ln 2, ln 5] → p = [1/8, 2/8, 5/8]; log p(2) = ln(5/8);
  /// H = −Σ p ln p = 0.9002561 nats.
  @Test func logProbAndEntropyHandValues() {
    let logits: [Float] = [0, Float(log(2.0)), Float(log(5.0))]
    logits.withUnsafeBufferPointer { row in
      #expect(abs(tokenLogProbability(2, logits: row) - Float(log(5.0 / 8))) < 1e-6)
      let p = [1.0 / 8, 2.0 / 8, 5.0 / 8]
      let entropy = -p.reduce(0) { $0 + $1 * log($1) }
      #expect(abs(Double(tokenEntropy(logits: row)) - entropy) < 1e-6)
      #expect(abs(entropy - 0.9002561) < 1e-6)
    }
  }

  /// The one-pass log-probability and entropy equal the two reference functions on random
  /// rows of several widths, temperatures and scales (peaked and flat distributions).
  @Test func fusedLogProbAndEntropyMatchTheReferences() {
    var generator = SplitMix64(seed: 8)
    for (width, tau, spread) in [(3, 1, 1), (50, 0.7, 4), (1000, 1.3, 30), (8192, 1, 8)]
      as [(Int, Float, Float)]
    {
      let logits = (0..<width).map { _ in (generator.nextFloat() * 2 - 1) * spread }
      logits.withUnsafeBufferPointer { row in
        for token in [0, width / 2, width - 1] {
          let fused = tokenLogProbabilityAndEntropy(token, logits: row, temperature: tau)
          let logProb = tokenLogProbability(token, logits: row, temperature: tau)
          let entropy = tokenEntropy(logits: row, temperature: tau)
          #expect(abs(fused.logProb - logProb) <= 1e-6 * max(1, abs(logProb)))
          #expect(abs(fused.entropy - entropy) <= 1e-6 * max(1, abs(entropy)))
        }
      }
    }
    let hand: [Float] = [0, Float(log(2.0)), Float(log(5.0))]
    hand.withUnsafeBufferPointer {
      let fused = tokenLogProbabilityAndEntropy(2, logits: $0)
      #expect(abs(fused.logProb - Float(log(5.0 / 8))) < 1e-6)
      #expect(abs(fused.entropy - 0.9002561) < 1e-6)
    }
  }

  /// ∂(g·log p(y) + h·H)/∂z against central differences, with a temperature.
  @Test func logProbAndEntropyGradientMatchesFiniteDifferences() {
    var generator = SplitMix64(seed: 5)
    let logits = (0..<7).map { _ in generator.nextFloat() * 4 - 2 }
    let (token, g, h, tau): (Int, Float, Float, Float) = (3, 0.7, -0.3, 1.3)
    func objective(_ z: [Float]) -> Double {
      z.withUnsafeBufferPointer {
        Double(g) * Double(tokenLogProbability(token, logits: $0, temperature: tau))
          + Double(h) * Double(tokenEntropy(logits: $0, temperature: tau))
      }
    }
    var grad = [Float](repeating: 0, count: 7)
    grad.withUnsafeMutableBufferPointer { d in
      logits.withUnsafeBufferPointer { z in
        accumulateLogProbAndEntropyGradient(
          dLogits: d, logits: z, token: token, logProbWeight: g, entropyWeight: h,
          temperature: tau)
      }
    }
    for i in 0..<7 {
      var plus = logits
      plus[i] += 1e-2
      var minus = logits
      minus[i] -= 1e-2
      let numeric = (objective(plus) - objective(minus)) / 2e-2
      #expect(abs(numeric - Double(grad[i])) < 1e-3, "logit \(i)")
    }
  }
}
