// Tests for the seq2seq reward-model metrics on hand-made agreement patterns.

import Testing

@testable import Training

@Suite struct Seq2SeqRewardMetricsTests {
  @Test func agreementDivergenceAndPreference() {
    let m = Seq2SeqRewardMetrics(
      chosenAgreement: [[true, true, true], [true, false]],
      rejectedAgreement: [[true, false, true, false], [false, true]],
      chosenRewards: [[1, 1, 1], [1, -1]],
      rejectedRewards: [[1, -1, 1, -1], [-1, 1]])
    #expect(m.pairCount == 2)
    #expect(m.identityAgreement == 0.5)
    #expect(m.meanFirstDivergence == 0.5)  // (1 + 0)/2
    #expect(m.meanRelativeFirstDivergence == 0.125)  // (1/4 + 0/2)/2
    // pair 0: 3 > 0 → right; pair 1: 0 vs 0 is a tie → wrong (K17).
    #expect(m.preferenceAccuracy == 0.5)
    #expect(m.meanChosenReward == 1.5)
    #expect(m.meanRejectedReward == 0)
  }

  @Test func firstDivergenceDefaultsToLength() {
    #expect(firstDivergence([true, true]) == 2)
    #expect(firstDivergence([]) == 0)
    #expect(firstDivergence([true, false, false]) == 1)
  }
}
