// Running mean and variance for reward normalisation, merged batch by batch with the parallel
// algorithm of Chan, Golub & LeVeque (1979). The batch enters with its real size (K22: cleanrl #18
// passed a count of 1 for a whole batch, so every batch weighed the same). Population variance;
// the initial state (count ε = 1e-4, mean 0, var 1) follows baselines' RunningMeanStd.

/// Mean, variance and count of every value seen so far, in Double.
public struct RunningMeanStd: Sendable, Equatable, Codable {
  /// Running mean of all values seen.
  public private(set) var mean: Double
  /// Running population variance of all values seen.
  public private(set) var variance: Double
  /// Number of values seen, plus the initial ε.
  public private(set) var count: Double
  /// Number of `update` calls with a non-empty batch; 0 means "never fitted".
  public private(set) var updates: Int

  /// A fresh normaliser: count ε (so the first batch dominates), mean 0, variance 1.
  public init(epsilon: Double = 1e-4) {
    (mean, variance, count, updates) = (0, 1, epsilon, 0)
  }

  /// Restores saved statistics (a checkpoint).
  public init(mean: Double, variance: Double, count: Double, updates: Int) {
    (self.mean, self.variance, self.count, self.updates) = (mean, variance, count, updates)
  }

  /// Standard deviation sqrt(variance).
  public var standardDeviation: Double { variance.squareRoot() }

  /// Merges one batch: its own mean and population variance, weighted by its size.
  /// - Complexity: O(batch.count).
  public mutating func update(_ batch: [Float]) {
    guard !batch.isEmpty else { return }
    let batchCount = Double(batch.count)
    let batchMean = batch.reduce(0.0) { $0 + Double($1) } / batchCount
    let batchVariance =
      batch.reduce(0.0) { $0 + (Double($1) - batchMean) * (Double($1) - batchMean) } / batchCount
    let delta = batchMean - mean
    let total = count + batchCount
    let m2 =
      variance * count + batchVariance * batchCount + delta * delta * count * batchCount / total
    mean += delta * batchCount / total
    variance = m2 / total
    count = total
    updates += 1
  }

  /// (x − mean) / sqrt(variance + 1e-8).
  public func normalize(_ x: Float) -> Float {
    Float((Double(x) - mean) / (variance + 1e-8).squareRoot())
  }
}
