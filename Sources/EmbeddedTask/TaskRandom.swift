// TaskRandom: the seeded random generator of the embedded task (SplitMix64).
// Conventions: every draw is a pure function of the seed and the number of earlier draws, so
// `rmprep synth --seed S` is byte-identical on every machine and Swift version (the stdlib's
// SystemRandomNumberGenerator is not seedable, and its `random(in:)` algorithms may change).

/// A deterministic 64-bit generator (SplitMix64, Steele, Lea and Flood 2014).
///
/// ```swift
/// var random = TaskRandom(seed: 7)
/// let die = random.below(6) + 1   // 1...6, the same on every run
/// ```
/// - Complexity: O(1) per draw.
public struct TaskRandom: Sendable {
  private var state: UInt64

  /// Creates a generator whose whole sequence is fixed by `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// The next raw 64-bit value.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `0..<bound`, by rejection sampling (no modulo bias).
  /// - Precondition: `bound > 0`.
  public mutating func below(_ bound: Int) -> Int {
    precondition(bound > 0, "TaskRandom.below: bound must be positive, got \(bound)")
    let range = UInt64(bound)
    let limit = UInt64.max - UInt64.max % range
    while true {
      let value = next()
      if value < limit { return Int(value % range) }
    }
  }

  /// A uniform value in [0, 1) with 53 bits of precision.
  public mutating func unit() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// One element of a non-empty array, uniformly.
  public mutating func pick<Element>(_ elements: [Element]) -> Element {
    elements[below(elements.count)]
  }

  /// An index drawn with probability proportional to `weights[i]` (all ≥ 0, sum > 0).
  public mutating func weightedIndex(_ weights: [Double]) -> Int {
    let total = weights.reduce(0, +)
    precondition(total > 0, "TaskRandom.weightedIndex: weights must have a positive sum")
    var target = unit() * total
    for (index, weight) in weights.enumerated() {
      if target < weight { return index }
      target -= weight
    }
    return weights.count - 1
  }
}
