// Scalar-arm reward placement (METHOD.md §7.3) and K19: the last real token comes from the mask
// or the stored length, never from the first padding position.

import Testing

@testable import Training

@Suite struct ScalarRewardPlacementTests {
  /// Row 0 ends with EOS at index 2; row 1 hit the cap (width 4) without EOS and pays 0.5.
  @Test func rewardLandsOnLastRealToken() {
    let placed = placeScalarRewards(
      scores: [2, 3], lengths: [3, 4], endsWithEOS: [true, false], width: 4,
      missingEOSPenalty: 0.5)
    #expect(placed == [0, 0, 2, 0, 0, 0, 0, 2.5])
    let noPenalty = placeScalarRewards(
      scores: [2], lengths: [1], endsWithEOS: [false], width: 3)
    #expect(noPenalty == [2, 0, 0])
  }

  /// K19: right-padded [8, 9, 0, 0] → 1; left-padded [0, 0, 8, 9] → 3; query left-padded and
  /// response right-padded [0, 5, 6, 9, 0] → 3. Never −1 or the pad at index 4.
  @Test func lastRealIndexWhateverThePaddingSide() {
    #expect(lastRealIndex(mask: [1, 1, 0, 0]) == 1)
    #expect(lastRealIndex(mask: [0, 0, 1, 1]) == 3)
    #expect(lastRealIndex(mask: [0, 1, 1, 1, 0]) == 3)
    #expect(lastRealIndex(mask: [0, 0]) == nil)
  }

  @Test func responseMaskFromLengths() {
    #expect(responseMask(lengths: [2, 0, 3], width: 3) == [1, 1, 0, 0, 0, 0, 1, 1, 1])
  }
}
