// GELU, tanh approximation (GPT-2's "gelu_new"), and the residual add.
// gelu(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))); shapes: inp, out, dOut, dInp (N) flat.
// tanh(u) = 1 − 2/(e^{2u} + 1) through the vectorized exp8, which keeps the kernel SIMD-wide
// (glibc tanhf per element was ~20 ns, measured; this is ~1 ns per element).

#if canImport(Glibc)
import Glibc
#endif

private let geluScale: Float = 0.797_884_560_802_865_4  // √(2/π)

@inline(__always)
private func tanh8(_ u: SIMD8<Float>) -> SIMD8<Float> {
  // Clamp so e^{2u} stays finite; tanh(±10) = ±1 in Float.
  let lo = SIMD8<Float>(repeating: -10)
  let hi = SIMD8<Float>(repeating: 10)
  var c = u.replacing(with: lo, where: u .< lo)
  c = c.replacing(with: hi, where: c .> hi)
  return 1 - 2 / (exp8(c + c) + 1)
}

/// out = gelu(inp), elementwise over N values. Reference: torch.nn.GELU(approximate="tanh").
func geluForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count N: Int) {
  let blocks = (N + 4095) / 4096
  parallelFor(blocks) { range in
    let start = range.lowerBound * 4096
    let end = min(N, range.upperBound * 4096)
    var i = start
    while i + 8 <= end {
      let x = UnsafeRawPointer(inp).loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
      let t = tanh8(geluScale * (x + 0.044715 * x * x * x))
      UnsafeMutableRawPointer(out).storeBytes(
        of: 0.5 * x * (1 + t), toByteOffset: i * 4, as: SIMD8<Float>.self)
      i += 8
    }
    while i < end {
      let x = inp[i]
      let t = tanh8(SIMD8(repeating: geluScale * (x + 0.044715 * x * x * x)))[0]
      out[i] = 0.5 * x * (1 + t)
      i += 1
    }
  }
}

/// dInp += gelu'(inp) · dOut, elementwise over N values.
func geluBackward(
  dInp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dOut: UnsafePointer<Float>,
  count N: Int
) {
  let blocks = (N + 4095) / 4096
  parallelFor(blocks) { range in
    let start = range.lowerBound * 4096
    let end = min(N, range.upperBound * 4096)
    var i = start
    while i + 8 <= end {
      let x = UnsafeRawPointer(inp).loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
      let d = UnsafeRawPointer(dOut).loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
      let g = UnsafeMutableRawPointer(dInp).loadUnaligned(
        fromByteOffset: i * 4, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(dInp).storeBytes(
        of: g + geluDerivative8(x) * d, toByteOffset: i * 4, as: SIMD8<Float>.self)
      i += 8
    }
    while i < end {
      dInp[i] += geluDerivative8(SIMD8(repeating: inp[i]))[0] * dOut[i]
      i += 1
    }
  }
}

@inline(__always)
private func geluDerivative8(_ x: SIMD8<Float>) -> SIMD8<Float> {
  let x2 = x * x
  let t = tanh8(geluScale * (x + 0.044715 * x2 * x))
  let sech2 = 1 - t * t
  return 0.5 * (1 + t) + 0.5 * x * sech2 * geluScale * (1 + 3 * 0.044715 * x2)
}

/// out = a + b, elementwise over N values (the residual connection). dA, dB receive dOut.
/// Blocks of 4096 values split across the threads (elementwise, so any split gives the same
/// result).
func residualForward(
  _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  count N: Int
) {
  parallelFor((N + 4095) / 4096) { range in
    for i in (range.lowerBound * 4096)..<min(N, range.upperBound * 4096) { out[i] = a[i] + b[i] }
  }
}

/// dA += dOut, dB += dOut.
func residualBackward(
  dA: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
  count N: Int
) {
  parallelFor((N + 4095) / 4096) { range in
    for i in (range.lowerBound * 4096)..<min(N, range.upperBound * 4096) {
      dA[i] += dOut[i]
      dB[i] += dOut[i]
    }
  }
}

// MARK: - Reference

/// GELU (tanh) with glibc tanh in Double, the test oracle.
func geluForwardReference(
  _ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count N: Int
) {
  for i in 0..<N {
    let x = Double(inp[i])
    out[i] = Float(0.5 * x * (1 + tanh(Double(geluScale) * (x + 0.044715 * x * x * x))))
  }
}
