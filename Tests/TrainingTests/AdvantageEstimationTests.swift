// GAE, whitening and masked means on hand-worked numbers, against the O(T²) reference, and the
// K21 fault: values, rewards or advantages stored at padding never change a real output.

import Testing

@testable import Training

@Suite struct AdvantageEstimationTests {
  /// Hand-worked, γ = 1, λ = 0.5, r = [0, 1, 0, 2], V = [1, 0.5, 1, 0.5]:
  /// δ3 = 2 − 0.5 = 1.5                     A3 = 1.5
  /// δ2 = 0 + 0.5 − 1 = −0.5                A2 = −0.5 + 0.5·1.5 = 0.25
  /// δ1 = 1 + 1 − 0.5 = 1.5                 A1 = 1.5 + 0.5·0.25 = 1.625
  /// δ0 = 0 + 0.5 − 1 = −0.5                A0 = −0.5 + 0.5·1.625 = 0.3125
  /// R = A + V = [1.3125, 2.125, 1.25, 2.0] (all exact binary fractions).
  @Test func fourStepHandWorkedExample() {
    let out = generalizedAdvantageEstimates(
      rewards: [0, 1, 0, 2], values: [1, 0.5, 1, 0.5], mask: [1, 1, 1, 1], width: 4, gamma: 1,
      lambda: 0.5)
    #expect(out.advantages == [0.3125, 1.625, 0.25, 1.5])
    #expect(out.returns == [1.3125, 2.125, 1.25, 2.0])
  }

  /// K21 GAE case: rewards [0, 0, 1] on 3 response tokens + 2 pads, γ = 1, λ = 0.95, values 5 at
  /// the pads (0 elsewhere): A = [0.95², 0.95, 1], pads 0. The value after EOS is 0.
  @Test func paddingValuesDoNotLeakIntoAdvantages() {
    let out = generalizedAdvantageEstimates(
      rewards: [0, 0, 1, 0, 0], values: [0, 0, 0, 5, 5], mask: [1, 1, 1, 0, 0], width: 5,
      gamma: 1, lambda: 0.95)
    #expect(abs(out.advantages[0] - 0.9025) < 1e-6)
    #expect(abs(out.advantages[1] - 0.95) < 1e-6)
    #expect(out.advantages[2] == 1)
    #expect(out.advantages[3] == 0 && out.advantages[4] == 0)
    #expect(out.returns[3] == 0 && out.returns[4] == 0)
  }

  /// Perturbing rewards and values at masked positions leaves every output bitwise equal.
  @Test func maskedEntriesArePerturbationInvariant() {
    var generator = SplitMix64(seed: 7)
    let width = 6
    let mask: [Float] = [1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0]
    let rewards = (0..<12).map { _ in generator.nextFloat() * 2 - 1 }
    let values = (0..<12).map { _ in generator.nextFloat() * 2 - 1 }
    let base = generalizedAdvantageEstimates(
      rewards: rewards, values: values, mask: mask, width: width, gamma: 0.99, lambda: 0.95)
    for _ in 0..<5 {
      let noisyRewards = rewards.indices.map {
        mask[$0] == 0 ? generator.nextFloat() * 100 : rewards[$0]
      }
      let noisyValues = values.indices.map {
        mask[$0] == 0 ? generator.nextFloat() * 100 : values[$0]
      }
      let out = generalizedAdvantageEstimates(
        rewards: noisyRewards, values: noisyValues, mask: mask, width: width, gamma: 0.99,
        lambda: 0.95)
      #expect(out == base)
    }
  }

  @Test(arguments: [(Float(1), Float(0.95)), (0.99, 0.95), (0.9, 0.5), (1, 1), (0.5, 0)])
  func matchesReference(gamma: Float, lambda: Float) {
    var generator = SplitMix64(seed: 11)
    let width = 9
    let lengths = [9, 4, 1, 7]
    let mask = responseMask(lengths: lengths, width: width)
    let rewards = (0..<mask.count).map { _ in generator.nextFloat() * 4 - 2 }
    let values = (0..<mask.count).map { _ in generator.nextFloat() * 4 - 2 }
    let fast = generalizedAdvantageEstimates(
      rewards: rewards, values: values, mask: mask, width: width, gamma: gamma, lambda: lambda)
    let slow = generalizedAdvantageEstimatesReference(
      rewards: rewards, values: values, mask: mask, width: width, gamma: gamma, lambda: lambda)
    for i in mask.indices {
      #expect(abs(fast.advantages[i] - slow.advantages[i]) < 1e-4)
      #expect(abs(fast.returns[i] - slow.returns[i]) < 1e-4)
    }
  }

  /// K21 AReaL case: loss_mask [1, 1, 0, 0] with advantages [1, 1, 0, 0] or [1, 1, 10, 10] has
  /// mean 1.0 both times (5.5 if padding were averaged in).
  @Test func maskedMeanIgnoresPadding() {
    let mask: [Float] = [1, 1, 0, 0]
    #expect(maskedMean([1, 1, 0, 0], mask: mask) == 1.0)
    #expect(maskedMean([1, 1, 10, 10], mask: mask) == 1.0)
    #expect(maskedMean([1, 1, .nan, .infinity], mask: mask) == 1.0)
    #expect(maskedMean([3, 4], mask: [0, 0]) == 0)
  }

  /// x = [1, 2, 3, pad]: mean 2, population variance 2/3 → [−1.2247, 0, 1.2247, 0].
  @Test func maskedWhiteningHandValues() {
    let out = maskedWhiten([1, 2, 3, 99], mask: [1, 1, 1, 0])
    let expected: [Float] = [-1.2247448, 0, 1.2247448, 0]
    for i in 0..<4 { #expect(abs(out[i] - expected[i]) < 1e-5) }
    #expect(maskedWhiten([5, 7], mask: [1, 0]) == [5, 0])
  }
}
