// Exact token-length percentiles in memory bounded by the number of *distinct* lengths (not records):
// a map length → count. Used for the length report (`rmprep inspect --lengths`, manifest `lengths`)
// that helps users choose `--max-len`. Percentile rule: nearest rank (the smallest length L such
// that at least p% of the values are ≤ L), so results are actual lengths.

import Corpus

/// A histogram of non-negative integer lengths with exact nearest-rank percentiles.
public struct LengthHistogram: Sendable, Equatable {
  private(set) var counts: [Int: Int] = [:]
  /// Number of values added.
  public private(set) var count = 0
  /// Sum of the values.
  public private(set) var total = 0

  /// Creates an empty histogram.
  public init() {}

  /// Adds one value.
  public mutating func add(_ length: Int) {
    counts[length, default: 0] += 1
    count += 1
    total += length
  }

  /// Adds `times` copies of one value (rebuilding a histogram from its `counts`).
  public mutating func add(_ length: Int, times: Int) {
    counts[length, default: 0] += times
    count += times
    total += length * times
  }

  /// The histogram as (length, count) pairs, ascending.
  public var sortedCounts: [(length: Int, count: Int)] {
    counts.keys.sorted().map { ($0, counts[$0]!) }
  }

  /// Adds another histogram's values.
  public mutating func merge(_ other: LengthHistogram) {
    for (k, v) in other.counts { counts[k, default: 0] += v }
    count += other.count
    total += other.total
  }

  /// The nearest-rank percentile `p` ∈ (0, 100]; 0 when empty.
  ///
  ///     values 1…10 → percentile(50) = 5, percentile(90) = 9, percentile(100) = 10
  public func percentile(_ p: Double) -> Int {
    guard count > 0 else { return 0 }
    let rank = max(1, Int((p / 100 * Double(count)).rounded(.up)))
    var seen = 0
    for length in counts.keys.sorted() {
      seen += counts[length]!
      if seen >= rank { return length }
    }
    return counts.keys.max()!
  }

  /// Largest value (0 when empty).
  public var maximum: Int { counts.keys.max() ?? 0 }

  /// Summary as JSON: count, mean, p50, p90, p95, p99, max.
  public var jsonValue: JSONValue {
    .object([
      (key: "count", value: .int(count)),
      (
        key: "mean",
        value: .double(count == 0 ? 0 : (Double(total) / Double(count) * 10).rounded() / 10)
      ),
      (key: "p50", value: .int(percentile(50))),
      (key: "p90", value: .int(percentile(90))),
      (key: "p95", value: .int(percentile(95))),
      (key: "p99", value: .int(percentile(99))),
      (key: "max", value: .int(maximum)),
    ])
  }
}

/// Token lengths of prompts and responses before truncation.
public struct LengthReport: Sendable, Equatable {
  public var prompt = LengthHistogram()
  public var chosen = LengthHistogram()
  public var rejected = LengthHistogram()

  /// Creates an empty report.
  public init() {}

  /// Adds another report.
  public mutating func merge(_ other: LengthReport) {
    prompt.merge(other.prompt)
    chosen.merge(other.chosen)
    rejected.merge(other.rejected)
  }

  /// As JSON: `{"prompt": {...}, "chosen": {...}, "rejected": {...}}`.
  public var jsonValue: JSONValue {
    .object([
      (key: "prompt", value: prompt.jsonValue),
      (key: "chosen", value: chosen.jsonValue),
      (key: "rejected", value: rejected.jsonValue),
    ])
  }
}
