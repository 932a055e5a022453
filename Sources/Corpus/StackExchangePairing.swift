// The Stack Exchange pairing rule (FORMATS.md §7, HuggingFaceH4/stack-exchange-preferences):
// pm_score = round(log2(1 + Score)) + 1 if accepted; −1 when Score < 0. Every two answers of one
// question with different pm_scores make a pair, the higher one chosen. Order is deterministic:
// answers ranked by (pm_score desc, Score desc, Id asc); pairs enumerated (i, j), i < j, in rank
// order, so a per-question cap keeps the pairs with the best chosen answers first.

#if canImport(Glibc)
import Glibc
#endif

/// Pairing knobs (`--max-pairs-per-question`, `--min-score-gap`).
public struct StackExchangePairingOptions: Sendable, Equatable {
  /// Keep at most this many pairs per question (nil = all), the first ones in rank order.
  public var maxPairsPerQuestion: Int?
  /// Minimum pm_score difference between chosen and rejected (≥ 1; equal scores never pair).
  public var minScoreGap: Int

  public init(maxPairsPerQuestion: Int? = nil, minScoreGap: Int = 1) {
    self.maxPairsPerQuestion = maxPairsPerQuestion
    self.minScoreGap = max(1, minScoreGap)
  }
}

/// An answer as pairing sees it.
public struct RankedAnswer: Sendable, Equatable {
  public var id: Int
  public var score: Int
  public var isAccepted: Bool

  public init(id: Int, score: Int, isAccepted: Bool) {
    self.id = id
    self.score = score
    self.isAccepted = isAccepted
  }

  /// The preference-model score: `round(log2(1 + score)) + (accepted ? 1 : 0)`, or −1 when
  /// `score < 0`. Examples: 0 → 0, 1 → 1, 7 → 3 (4 if accepted), 2 → 2 (log2 3 = 1.58).
  public var pmScore: Int { StackExchangePairing.pmScore(score: score, isAccepted: isAccepted) }
}

/// Pairs answers of one question.
public enum StackExchangePairing {
  /// `round(log2(1 + score))` (+1 if accepted), −1 for a negative score. log2 of an integer
  /// is never exactly k + 0.5, so Python's banker's rounding and ours agree.
  public static func pmScore(score: Int, isAccepted: Bool) -> Int {
    if score < 0 { return -1 }
    let base = Int(log2(1 + Double(score)).rounded(.toNearestOrAwayFromZero))
    return base + (isAccepted ? 1 : 0)
  }

  /// Answers in rank order: pm_score desc, Score desc, Id asc.
  public static func ranked(_ answers: [RankedAnswer]) -> [RankedAnswer] {
    answers.map { ($0, $0.pmScore) }.sorted { lhs, rhs in
      if lhs.1 != rhs.1 { return lhs.1 > rhs.1 }
      if lhs.0.score != rhs.0.score { return lhs.0.score > rhs.0.score }
      return lhs.0.id < rhs.0.id
    }.map { $0.0 }
  }

  /// The (chosen, rejected) pairs of one question's answers, in deterministic order.
  ///
  /// Answers with scores 7 (accepted), 1, 1 → pm 4, 1, 1 → pairs (7's, first 1), (7's, second 1);
  /// the two pm-1 answers tie and give no pair.
  /// - Complexity: O(n²) in the number of answers of the question.
  public static func pairs(
    of answers: [RankedAnswer], options: StackExchangePairingOptions
  ) -> [(chosen: RankedAnswer, rejected: RankedAnswer)] {
    let order = ranked(answers)
    var result: [(chosen: RankedAnswer, rejected: RankedAnswer)] = []
    let cap = options.maxPairsPerQuestion ?? Int.max
    outer: for i in order.indices {
      for j in order.indices where j > i {
        guard result.count < cap else { break outer }
        if order[i].pmScore - order[j].pmScore >= options.minScoreGap {
          result.append((order[i], order[j]))
        }
      }
    }
    return result
  }
}
