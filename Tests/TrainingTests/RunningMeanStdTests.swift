// Running reward statistics and fault K22: a batch enters with its real size.

import Testing

@testable import Training

@Suite struct RunningMeanStdTests {
  /// K22: batches [0] then [10, 10, 10] from (count 1e-4, mean 0, var 1) give mean 7.5 and
  /// population variance 18.75, the statistics of all 4 values (5.0 and 25.0 with the bug).
  @Test func batchCountIsTheBatchSize() {
    var stats = RunningMeanStd()
    #expect(stats.updates == 0)
    stats.update([0])
    stats.update([10, 10, 10])
    #expect(abs(stats.mean - 7.5) < 1e-3)
    #expect(abs(stats.variance - 18.75) < 1e-3)
    #expect(abs(stats.count - 4.0001) < 1e-9)
    #expect(stats.updates == 2)
  }

  /// Merging batch by batch equals the statistics of the concatenation (up to ε).
  @Test func mergeEqualsConcatenation() {
    var generator = SplitMix64(seed: 23)
    let batches = [5, 1, 17, 3].map { n in (0..<n).map { _ in generator.nextFloat() * 20 - 5 } }
    var stats = RunningMeanStd(epsilon: 0)
    for batch in batches { stats.update(batch) }
    let all = batches.flatMap { $0 }.map(Double.init)
    let mean = all.reduce(0, +) / Double(all.count)
    let variance = all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count)
    #expect(abs(stats.mean - mean) < 1e-9)
    #expect(abs(stats.variance - variance) < 1e-9)
    stats.update([])
    #expect(stats.updates == 4)
  }

  @Test func normalizeUsesMeanAndStd() {
    var stats = RunningMeanStd(epsilon: 0)
    stats.update([1, 3])  // mean 2, variance 1
    #expect(abs(stats.normalize(4) - 2) < 1e-6)
  }
}
