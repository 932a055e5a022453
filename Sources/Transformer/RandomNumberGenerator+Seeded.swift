// Seeded, portable random numbers: SplitMix64 (seeding and uniform draws) and Box–Muller normals.
// Used for weight initialization and sampling; the same seed gives the same numbers on every
// machine, independent of thread count.

#if canImport(Glibc)
import Glibc
#endif

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, well-mixed 64-bit generator.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// A generator whose stream is fixed by `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform Double in [0, 1) with 53 random bits.
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// A standard normal draw (Box–Muller, one value per call).
  public mutating func nextNormal() -> Double {
    let u1 = max(nextUnit(), 1e-300)
    let u2 = nextUnit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// Fills `buffer` with N(0, std²) values.
  public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, std: Float) {
    for i in buffer.indices { buffer[i] = Float(nextNormal()) * std }
  }
}

/// Derives an independent seed from a base seed and a stream index (for per-sequence RNGs).
public func derivedSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
  var g = SeededGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
  return g.next()
}
