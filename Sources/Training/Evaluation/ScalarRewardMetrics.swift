// Evaluation metrics of a scalar (Bradley–Terry) reward model on validation pairs.
//
// A pair is correct only when r_w > r_l strictly: a tie counts as wrong (KNOWN-FAULTS K17), and
// ties are also reported on their own. Lengths are response lengths in tokens (the response and its
// EOS, without the prompt). The reward–length correlation is Pearson's r over all 2·N (reward,
// length) points: the length bias the paper is about. Sums are accumulated in Double.

#if canImport(Glibc)
import Glibc
#endif

/// Pairwise accuracy for pairs whose mean response length falls in `[lowerBound, upperBound)`.
public struct LengthBucketAccuracy: Sendable, Equatable {
  /// Smallest mean response length in the bucket (tokens, inclusive).
  public var lowerBound: Int
  /// Bound above the bucket (tokens, exclusive); nil for the last, open bucket.
  public var upperBound: Int?
  /// Pairs in the bucket.
  public var pairCount: Int
  /// Pairs with r_w > r_l.
  public var correctCount: Int
  /// correctCount / pairCount, or nil for an empty bucket.
  public var accuracy: Double? { pairCount == 0 ? nil : Double(correctCount) / Double(pairCount) }
}

/// All scalar reward-model metrics of one evaluation.
public struct ScalarRewardMetrics: Sendable, Equatable {
  /// Number of pairs evaluated.
  public var pairCount: Int
  /// Fraction of pairs with r_w > r_l (ties are wrong).
  public var accuracy: Double
  /// Number of pairs with r_w == r_l exactly.
  public var tieCount: Int
  /// Mean of r_w − r_l.
  public var meanMargin: Double
  /// Mean reward of the chosen responses.
  public var meanChosenReward: Double
  /// Mean reward of the rejected responses.
  public var meanRejectedReward: Double
  /// Accuracy per response-length bucket.
  public var lengthBuckets: [LengthBucketAccuracy]
  /// Pearson correlation of reward with response length over all responses; nil when either is constant.
  public var rewardLengthCorrelation: Double?

  /// Default bucket lower bounds in tokens: [0, 32), [32, 64), [64, 128), [128, 256), [256, ∞).
  public static let defaultBucketBounds = [0, 32, 64, 128, 256]

  /// Computes the metrics from per-pair rewards and response lengths.
  /// - Parameters:
  ///   - chosenRewards, rejectedRewards: r_w and r_l, one per pair.
  ///   - chosenLengths, rejectedLengths: response lengths in tokens, one per pair.
  ///   - bucketBounds: ascending lower bounds of the length buckets; the first should be 0.
  /// - Complexity: O(pairs).
  public init(
    chosenRewards: [Float], rejectedRewards: [Float], chosenLengths: [Int], rejectedLengths: [Int],
    bucketBounds: [Int] = ScalarRewardMetrics.defaultBucketBounds
  ) {
    let n = chosenRewards.count
    precondition(
      rejectedRewards.count == n && chosenLengths.count == n && rejectedLengths.count == n,
      "ScalarRewardMetrics: per-pair arrays differ in length")
    var correct = 0
    var ties = 0
    var marginSum = 0.0
    var buckets = bucketBounds.indices.map { i in
      LengthBucketAccuracy(
        lowerBound: bucketBounds[i],
        upperBound: i + 1 < bucketBounds.count ? bucketBounds[i + 1] : nil,
        pairCount: 0, correctCount: 0)
    }
    for i in 0..<n {
      let isCorrect = chosenRewards[i] > rejectedRewards[i]
      if isCorrect { correct += 1 }
      if chosenRewards[i] == rejectedRewards[i] { ties += 1 }
      marginSum += Double(chosenRewards[i]) - Double(rejectedRewards[i])
      let meanLength = (chosenLengths[i] + rejectedLengths[i]) / 2
      if let b = buckets.lastIndex(where: { $0.lowerBound <= meanLength }) {
        buckets[b].pairCount += 1
        if isCorrect { buckets[b].correctCount += 1 }
      }
    }
    pairCount = n
    accuracy = n == 0 ? 0 : Double(correct) / Double(n)
    tieCount = ties
    meanMargin = n == 0 ? 0 : marginSum / Double(n)
    meanChosenReward = n == 0 ? 0 : chosenRewards.reduce(0.0) { $0 + Double($1) } / Double(n)
    meanRejectedReward = n == 0 ? 0 : rejectedRewards.reduce(0.0) { $0 + Double($1) } / Double(n)
    lengthBuckets = buckets
    rewardLengthCorrelation = pearsonCorrelation(
      (chosenRewards + rejectedRewards).map(Double.init),
      (chosenLengths + rejectedLengths).map(Double.init))
  }
}

/// Pearson's r of two equally long samples (two-pass, in Double); nil when n < 2 or a sample is constant.
public func pearsonCorrelation(_ x: [Double], _ y: [Double]) -> Double? {
  precondition(x.count == y.count, "pearsonCorrelation: samples differ in length")
  let n = Double(x.count)
  guard x.count >= 2 else { return nil }
  let meanX = x.reduce(0, +) / n
  let meanY = y.reduce(0, +) / n
  var sxy = 0.0
  var sxx = 0.0
  var syy = 0.0
  for i in x.indices {
    let dx = x[i] - meanX
    let dy = y[i] - meanY
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  guard sxx > 0, syy > 0 else { return nil }
  return sxy / (sxx.squareRoot() * syy.squareRoot())
}
