// Win rate of policy A against policy B under a judge, with a 95% confidence interval.
// A comparison is a pair of judge scores on the same prompt; a tie counts half a win (and is
// reported separately, never as a win: K17's lesson for accuracy). The interval is Wilson's score
// interval on the tie-adjusted proportion, which stays inside [0, 1] for small n and p near 0 or 1.

/// The outcome of judging two policies on the same prompts.
public struct WinRate: Sendable, Equatable {
  /// Prompts where A's score was higher.
  public var wins: Int
  /// Prompts where the scores were equal.
  public var ties: Int
  /// Prompts where B's score was higher.
  public var losses: Int

  /// Counts a list of (score of A, score of B) pairs.
  public init(scoresA: [Double], scoresB: [Double]) {
    precondition(scoresA.count == scoresB.count, "WinRate: one score per prompt for each policy")
    (wins, ties, losses) = (0, 0, 0)
    for (a, b) in zip(scoresA, scoresB) {
      if a > b { wins += 1 } else if a < b { losses += 1 } else { ties += 1 }
    }
  }

  /// Builds from counts.
  public init(wins: Int, ties: Int, losses: Int) {
    (self.wins, self.ties, self.losses) = (wins, ties, losses)
  }

  /// Number of comparisons.
  public var count: Int { wins + ties + losses }

  /// (wins + ties / 2) / count; 0.5 when there is nothing to compare.
  public var rate: Double {
    count == 0 ? 0.5 : (Double(wins) + 0.5 * Double(ties)) / Double(count)
  }

  /// Wilson score interval for `rate` at confidence z (1.959964 for 95%):
  /// (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n). (0, 1) when count is 0.
  public func confidenceInterval(z: Double = 1.959_963_984_540_054) -> (
    lower: Double, upper: Double
  ) {
    guard count > 0 else { return (0, 1) }
    let n = Double(count)
    let p = rate
    let denominator = 1 + z * z / n
    let centre = p + z * z / (2 * n)
    let margin = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
    return (max(0, (centre - margin) / denominator), min(1, (centre + margin) / denominator))
  }
}
