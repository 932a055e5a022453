// The pm_score rule and the deterministic pair order (FORMATS.md §7), on hand-worked numbers.

import Corpus
import Testing

@Suite struct StackExchangePairingTests {
  @Test(arguments: [
    (0, false, 0), (1, false, 1), (2, false, 2), (3, false, 2), (5, false, 3), (7, false, 3),
    (7, true, 4), (15, false, 4), (-1, false, -1), (-5, true, -1), (0, true, 1),
  ])
  func pmScore(score: Int, accepted: Bool, expected: Int) {
    // round(log2(1+score)): log2 2 = 1, log2 3 = 1.58 → 2, log2 4 = 2, log2 6 = 2.58 → 3, log2 8 = 3
    #expect(StackExchangePairing.pmScore(score: score, isAccepted: accepted) == expected)
  }

  @Test func rankOrderAndTies() {
    let answers = [
      RankedAnswer(id: 9, score: 1, isAccepted: false),   // pm 1
      RankedAnswer(id: 4, score: 0, isAccepted: true),    // pm 1 (accepted bonus), lower score
      RankedAnswer(id: 7, score: 3, isAccepted: false),   // pm 2
      RankedAnswer(id: 5, score: 1, isAccepted: false),   // pm 1, same score as 9 → lower id first
    ]
    #expect(StackExchangePairing.ranked(answers).map(\.id) == [7, 5, 9, 4])
    let pairs = StackExchangePairing.pairs(of: answers, options: StackExchangePairingOptions())
    #expect(pairs.map { "\($0.chosen.id)>\($0.rejected.id)" } == ["7>5", "7>9", "7>4"])
    let capped = StackExchangePairing.pairs(of: answers, options: StackExchangePairingOptions(maxPairsPerQuestion: 1))
    #expect(capped.map { "\($0.chosen.id)>\($0.rejected.id)" } == ["7>5"])
    let gapped = StackExchangePairing.pairs(of: answers, options: StackExchangePairingOptions(minScoreGap: 2))
    #expect(gapped.isEmpty)
  }
}
