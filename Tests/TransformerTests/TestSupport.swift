// Helpers for the engine tests: seeded random arrays, closeness checks, and a finite-difference
// gradient check (central differences on Float kernels, sums in Double).

@testable import Transformer

/// Seeded N(0, std²) values.
func randomArray(_ count: Int, seed: UInt64, std: Float = 1) -> [Float] {
  var rng = SeededGenerator(seed: seed)
  return (0..<count).map { _ in Float(rng.nextNormal()) * std }
}

/// Largest |a − b| / (|b| + floor) over the arrays.
func maxRelativeError(_ a: [Float], _ b: [Float], floor: Float = 1e-3) -> Float {
  precondition(a.count == b.count)
  var worst: Float = 0
  for i in a.indices { worst = max(worst, abs(a[i] - b[i]) / (abs(b[i]) + floor)) }
  return worst
}

/// Central-difference gradient of `loss` with respect to `x` at the indices given, step h.
/// `loss` reads `x` (mutated in place and restored).
func finiteDifferenceGradient(
  _ x: inout [Float], indices: [Int], h: Float = 1e-2, loss: ([Float]) -> Double
) -> [Float] {
  indices.map { i in
    let saved = x[i]
    x[i] = saved + h
    let plus = loss(x)
    x[i] = saved - h
    let minus = loss(x)
    x[i] = saved
    return Float((plus - minus) / Double(2 * h))
  }
}

/// Σ r[i]·out[i] in Double: a scalar probe whose gradient with respect to out is r.
func probe(_ out: [Float], _ r: [Float]) -> Double {
  var s = 0.0
  for i in out.indices { s += Double(out[i]) * Double(r[i]) }
  return s
}

/// Every index for small arrays, a spread sample of 24 for large ones.
func sampleIndices(_ count: Int) -> [Int] {
  count <= 24 ? Array(0..<count) : (0..<24).map { min(count - 1, $0 * count / 24 + ($0 % 3)) }
}
