// Evaluation metrics of a seq2seq reward model on validation pairs (METHOD.md §2, §7.2).
//
// For each pair the RM reads (x, y) with y = y_w and y = y_l in turn, teacher-forced in one pass,
// and its greedy prediction at each response position says whether it agrees with y there.
//  - identity agreement: fraction of chosen responses the RM reproduces exactly (every token agrees);
//  - first divergence: 0-based index of the first disagreeing token of each rejected response
//    (its length when none disagrees), averaged;
//  - preference accuracy: fraction of pairs whose summed token reward (METHOD.md §2 extraction)
//    of y_w is strictly above that of y_l (a tie is wrong, KNOWN-FAULTS K17).

/// All seq2seq reward-model metrics of one evaluation.
public struct Seq2SeqRewardMetrics: Sendable, Equatable {
  /// Number of pairs evaluated.
  public var pairCount: Int
  /// Fraction of chosen responses whose every token agrees with the RM's greedy prediction.
  public var identityAgreement: Double
  /// Mean first-divergence position (tokens) on rejected responses.
  public var meanFirstDivergence: Double
  /// Mean first-divergence position relative to the rejected response's length (0 = first token).
  public var meanRelativeFirstDivergence: Double
  /// Fraction of pairs with Σ s(y_w) > Σ s(y_l) strictly.
  public var preferenceAccuracy: Double
  /// Mean summed token reward of the chosen responses.
  public var meanChosenReward: Double
  /// Mean summed token reward of the rejected responses.
  public var meanRejectedReward: Double

  /// Computes the metrics.
  /// - Parameters:
  ///   - chosenAgreement, rejectedAgreement: per pair, per response token: RM greedy prediction == token.
  ///   - chosenRewards, rejectedRewards: per pair, per response token: extracted token reward s_t.
  /// - Complexity: O(total response tokens).
  public init(
    chosenAgreement: [[Bool]], rejectedAgreement: [[Bool]], chosenRewards: [[Float]],
    rejectedRewards: [[Float]]
  ) {
    let n = chosenAgreement.count
    precondition(
      rejectedAgreement.count == n && chosenRewards.count == n && rejectedRewards.count == n,
      "Seq2SeqRewardMetrics: per-pair arrays differ in length")
    var identical = 0
    var divergenceSum = 0.0
    var relativeSum = 0.0
    var preferred = 0
    var chosenSum = 0.0
    var rejectedSum = 0.0
    for i in 0..<n {
      if chosenAgreement[i].allSatisfy({ $0 }) { identical += 1 }
      let k = firstDivergence(rejectedAgreement[i])
      divergenceSum += Double(k)
      relativeSum +=
        rejectedAgreement[i].isEmpty ? 0 : Double(k) / Double(rejectedAgreement[i].count)
      let w = chosenRewards[i].reduce(0.0) { $0 + Double($1) }
      let l = rejectedRewards[i].reduce(0.0) { $0 + Double($1) }
      if w > l { preferred += 1 }
      chosenSum += w
      rejectedSum += l
    }
    let count = Double(max(n, 1))
    pairCount = n
    identityAgreement = Double(identical) / count
    meanFirstDivergence = divergenceSum / count
    meanRelativeFirstDivergence = relativeSum / count
    preferenceAccuracy = Double(preferred) / count
    meanChosenReward = chosenSum / count
    meanRejectedReward = rejectedSum / count
  }
}

/// Index of the first `false` in `agreement`, or `agreement.count` when every token agrees.
public func firstDivergence(_ agreement: [Bool]) -> Int {
  agreement.firstIndex(of: false) ?? agreement.count
}
