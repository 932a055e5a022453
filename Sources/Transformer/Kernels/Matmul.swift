// Dense layers over sgemm (SplitGEMM.swift), with naive references for tests.
// Layout: inp (N, IC), weight (IC, OC) — the Hugging Face Conv1D layout, not llm.c's (OC, IC) —
// bias (OC), out (N, OC): out = inp · weight + bias. N = rows (B·T), IC/OC in/out channels.
// Performance notes: OpenBLAS does all the work (split across our threads, SplitGEMM.swift); the
// bias is broadcast into `out` first and the product added with beta = 1, so no second pass is
// needed. Bias gradients are column sums done channel-parallel in row order (deterministic at any
// thread count).

/// out = inp · weight + bias. inp (N, IC), weight (IC, OC), bias (OC) or nil, out (N, OC).
/// Reference: torch.nn.functional.linear with weight transposed (transformers Conv1D).
func matmulForward(
  _ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>,
  _ bias: UnsafePointer<Float>?, rows N: Int, inChannels IC: Int, outChannels OC: Int
) {
  var beta: Float = 0
  if let bias {
    parallelFor(N, grain: 64) { range in
      for n in range { (out + n * OC).update(from: bias, count: OC) }
    }
    beta = 1
  }
  sgemm(m: N, n: OC, k: IC, alpha: 1, inp, lda: IC, weight, ldb: OC, beta: beta, out, ldc: OC)
}

/// Accumulates the gradients of `matmulForward`:
/// dInp += dOut · weightᵀ, dWeight += inpᵀ · dOut, dBias += Σ_rows dOut.
/// dOut (N, OC), inp (N, IC); dInp (N, IC) may be nil when the input needs no gradient.
/// `overwritingInputGradient` sets dInp = dOut · weightᵀ instead (beta 0), whatever dInp held:
/// the same numbers as accumulating into a zero-filled dInp (OpenBLAS zeroes C for beta 0 and
/// then adds the product blocks into it, exactly as into a zeroed C), without a separate fill.
func matmulBackward(
  dInp: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>,
  dBias: UnsafeMutablePointer<Float>?, dOut: UnsafePointer<Float>, inp: UnsafePointer<Float>,
  weight: UnsafePointer<Float>, rows N: Int, inChannels IC: Int, outChannels OC: Int,
  overwritingInputGradient: Bool = false
) {
  if let dInp {
    sgemm(
      transposeB: true, m: N, n: IC, k: OC, alpha: 1, dOut, lda: OC, weight, ldb: OC,
      beta: overwritingInputGradient ? 0 : 1, dInp, ldc: IC)
  }
  sgemm(
    transposeA: true, m: IC, n: OC, k: N, alpha: 1, inp, lda: IC, dOut, ldb: OC, beta: 1, dWeight,
    ldc: OC)
  if let dBias { columnSumAccumulate(dBias, dOut, rows: N, columns: OC) }
}

/// dst[j] += Σ_n src[n, j], rows added in order for each column (deterministic).
func columnSumAccumulate(
  _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, rows N: Int, columns OC: Int
) {
  // Split the columns into blocks of 64 so each thread owns whole columns.
  let blocks = (OC + 63) / 64
  parallelFor(blocks) { range in
    for block in range {
      let start = block * 64
      let end = min(OC, start + 64)
      for n in 0..<N {
        let row = src + n * OC
        for j in start..<end { dst[j] += row[j] }
      }
    }
  }
}

// MARK: - References

/// Naive triple loop, the test oracle for `matmulForward`.
func matmulForwardReference(
  _ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>,
  _ bias: UnsafePointer<Float>?, rows N: Int, inChannels IC: Int, outChannels OC: Int
) {
  for n in 0..<N {
    for o in 0..<OC {
      var s: Float = bias?[o] ?? 0
      for i in 0..<IC { s += inp[n * IC + i] * weight[i * OC + o] }
      out[n * OC + o] = s
    }
  }
}

/// Naive loops, the test oracle for `matmulBackward`.
func matmulBackwardReference(
  dInp: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>,
  dBias: UnsafeMutablePointer<Float>?, dOut: UnsafePointer<Float>, inp: UnsafePointer<Float>,
  weight: UnsafePointer<Float>, rows N: Int, inChannels IC: Int, outChannels OC: Int
) {
  for n in 0..<N {
    for o in 0..<OC {
      let d = dOut[n * OC + o]
      dBias?[o] += d
      for i in 0..<IC {
        dInp?[n * IC + i] += d * weight[i * OC + o]
        dWeight[i * OC + o] += d * inp[n * IC + i]
      }
    }
  }
}
