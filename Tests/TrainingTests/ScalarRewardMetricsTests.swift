// Tests for the scalar reward-model metrics: ties are wrong (KNOWN-FAULTS K17), margins, length
// buckets and the reward–length correlation, all on hand-computed numbers.

import Testing

@testable import Training

@Suite struct ScalarRewardMetricsTests {
  /// K17: a tie is never counted as "chosen wins".
  @Test func tiesCountAsWrong() {
    let m = ScalarRewardMetrics(
      chosenRewards: [1, 1, 2], rejectedRewards: [1, 0, 3], chosenLengths: [4, 4, 4],
      rejectedLengths: [4, 4, 4])
    #expect(m.pairCount == 3)
    #expect(m.tieCount == 1)
    #expect(abs(m.accuracy - 1.0 / 3.0) < 1e-12)
    #expect(abs(m.meanMargin - 0.0) < 1e-12)  // (0 + 1 − 1)/3
    #expect(abs(m.meanChosenReward - 4.0 / 3.0) < 1e-12)
  }

  @Test func allTiedPairsGiveZeroAccuracy() {
    let m = ScalarRewardMetrics(
      chosenRewards: [0.5, 0.5], rejectedRewards: [0.5, 0.5], chosenLengths: [1, 2],
      rejectedLengths: [1, 2])
    #expect(m.accuracy == 0)
    #expect(m.tieCount == 2)
  }

  @Test func lengthBucketsUseMeanResponseLength() {
    // pair lengths (mean): 10 → [0,32), 40 → [32,64), 300 → [256,∞)
    let m = ScalarRewardMetrics(
      chosenRewards: [1, 0, 2], rejectedRewards: [0, 1, 1], chosenLengths: [10, 30, 300],
      rejectedLengths: [10, 50, 300])
    #expect(m.lengthBuckets.map(\.pairCount) == [1, 1, 0, 0, 1])
    #expect(m.lengthBuckets.map(\.correctCount) == [1, 0, 0, 0, 1])
    #expect(m.lengthBuckets[0].accuracy == 1)
    #expect(m.lengthBuckets[2].accuracy == nil)
    #expect(m.lengthBuckets[4].upperBound == nil)
  }

  @Test func rewardLengthCorrelation() {
    // rewards grow exactly with length → r = 1.
    let m = ScalarRewardMetrics(
      chosenRewards: [2, 4], rejectedRewards: [1, 3], chosenLengths: [20, 40],
      rejectedLengths: [10, 30])
    #expect(abs(m.rewardLengthCorrelation! - 1) < 1e-12)
    #expect(abs(pearsonCorrelation([1, 2, 3], [3, 2, 1])! + 1) < 1e-12)
    #expect(abs(pearsonCorrelation([1, 2, 3, 4], [1, 3, 2, 4])! - 0.8) < 1e-12)
    #expect(pearsonCorrelation([1, 1, 1], [1, 2, 3]) == nil)
  }
}
