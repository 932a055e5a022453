// Win rate with ties as half and the Wilson 95% interval, on hand-computed numbers.

import Testing

@testable import Training

@Suite struct WinRateTests {
  @Test func countsWinsTiesLosses() {
    let result = WinRate(scoresA: [1, 2, 3, 0.5], scoresB: [0, 2, 4, 0.5])
    #expect(result == WinRate(wins: 1, ties: 2, losses: 1))
    #expect(result.rate == 0.5)
  }

  /// 8 wins, 2 ties, 10 losses: p = 9/20 = 0.45; Wilson (z = 1.959964):
  /// (p + z²/40 ± z·sqrt(p(1−p)/20 + z²/1600)) / (1 + z²/20) = [0.258198, 0.657915].
  @Test func wilsonIntervalHandValues() {
    let result = WinRate(wins: 8, ties: 2, losses: 10)
    #expect(result.rate == 0.45)
    let (lower, upper) = result.confidenceInterval()
    #expect(abs(lower - 0.2581979) < 1e-6)
    #expect(abs(upper - 0.6579147) < 1e-6)
  }

  @Test func intervalStaysInsideTheUnitRange() {
    let all = WinRate(wins: 5, ties: 0, losses: 0)
    #expect(all.rate == 1)
    #expect(all.confidenceInterval().upper == 1)
    #expect(all.confidenceInterval().lower > 0.5)
    let empty = WinRate(wins: 0, ties: 0, losses: 0).confidenceInterval()
    #expect(empty.lower == 0 && empty.upper == 1)
  }
}
