// Causal multi-head self-attention over packed q, k, v, on cblas_sgemm.
// Shapes: qkv (B, T, 3C) with q, k, v side by side and head h at channels h·hs..<(h+1)·hs;
// att (B, NH, T, T) softmax probabilities (upper triangle zero), saved for backward;
// out (B, T, C) heads concatenated; hs = C / NH; scale = 1/√hs.
// Performance notes: each (b, h) runs as row blocks of 64 so only the causal (lower) part of
// QKᵀ is computed (about half the flops of a full T×T product). Heads run in parallel, each
// product one single-threaded cblas_sgemm (OpenBLAS is held at one thread, Threading.swift;
// nested threading was slower, measured).

import COpenBLAS

private let attentionBlock = 64

/// out = softmax(q·kᵀ/√hs + causal mask)·v per batch row and head; att keeps the probabilities.
/// Reference: torch.nn.functional.scaled_dot_product_attention(is_causal=True).
func attentionForward(
  _ out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
  qkv: UnsafePointer<Float>, batch B: Int, time T: Int, channels C: Int, heads NH: Int
) {
  let hs = C / NH
  let scale = 1 / Float(hs).squareRoot()
  parallelFor(B * NH) { range in
    for bh in range {
      let (b, h) = (bh / NH, bh % NH)
      let q = qkv + b * T * 3 * C + h * hs
      let k = q + C
      let v = q + 2 * C
      let p = att + bh * T * T
      let y = out + b * T * C + h * hs
      var r0 = 0
      while r0 < T {
        let r1 = min(T, r0 + attentionBlock)
        // S[r0..<r1, 0..<r1] = scale · Q[r0..<r1] · K[0..<r1]ᵀ
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasTrans, Int32(r1 - r0), Int32(r1), Int32(hs),
          scale, q + r0 * 3 * C, Int32(3 * C), k, Int32(3 * C), 0, p + r0 * T, Int32(T))
        for t in r0..<r1 { causalSoftmaxRow(p + t * T, valid: t + 1, width: T) }
        // Y[r0..<r1] = P[r0..<r1, 0..<r1] · V[0..<r1]
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(r1 - r0), Int32(hs), Int32(r1),
          1, p + r0 * T, Int32(T), v, Int32(3 * C), 0, y + r0 * C, Int32(C))
        r0 = r1
      }
    }
  }
}

/// Softmax over row[0..<valid] in place; row[valid..<width] set to zero.
@inline(__always)
func causalSoftmaxRow(_ row: UnsafeMutablePointer<Float>, valid: Int, width: Int) {
  let m = max8(row, valid)
  let total = expShiftedSum(row, row, valid, shift: m)
  let inverse = 1 / total
  for i in 0..<valid { row[i] *= inverse }
  for i in valid..<width { row[i] = 0 }
}

/// Accumulates dQKV (B, T, 3C) from dOut (B, T, C). `scratch` (B, NH, T, T) is overwritten.
func attentionBackward(
  dQKV: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
  dOut: UnsafePointer<Float>, qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
  batch B: Int, time T: Int, channels C: Int, heads NH: Int
) {
  let hs = C / NH
  let scale = 1 / Float(hs).squareRoot()
  let ld = Int32(3 * C)
  parallelFor(B * NH) { range in
    for bh in range {
      let (b, h) = (bh / NH, bh % NH)
      let q = qkv + b * T * 3 * C + h * hs
      let (k, v) = (q + C, q + 2 * C)
      let dq = dQKV + b * T * 3 * C + h * hs
      let (dk, dv) = (dq + C, dq + 2 * C)
      let p = att + bh * T * T
      let ds = scratch + bh * T * T
      let dy = dOut + b * T * C + h * hs
      var r0 = 0
      while r0 < T {
        let r1 = min(T, r0 + attentionBlock)
        let (m, n) = (Int32(r1 - r0), Int32(r1))
        // dP = dY · Vᵀ ; dV += Pᵀ · dY
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasTrans, m, n, Int32(hs),
          1, dy + r0 * C, Int32(C), v, ld, 0, ds + r0 * T, Int32(T))
        cblas_sgemm(
          CblasRowMajor, CblasTrans, CblasNoTrans, n, Int32(hs), m,
          1, p + r0 * T, Int32(T), dy + r0 * C, Int32(C), 1, dv, ld)
        // dS = P ⊙ (dP − Σ P⊙dP), per row, over the causal part.
        for t in r0..<r1 {
          let pr = p + t * T
          let dr = ds + t * T
          let inner = dot8(pr, dr, t + 1)
          // Columns t+1..<r1 have P = 0, so dS = 0 there too (the products below read them).
          for j in 0..<r1 { dr[j] = pr[j] * (dr[j] - inner) }
        }
        // dQ += scale · dS · K ; dK += scale · dSᵀ · Q
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasNoTrans, m, Int32(hs), n,
          scale, ds + r0 * T, Int32(T), k, ld, 1, dq + r0 * 3 * C, ld)
        cblas_sgemm(
          CblasRowMajor, CblasTrans, CblasNoTrans, n, Int32(hs), m,
          scale, ds + r0 * T, Int32(T), q + r0 * 3 * C, ld, 1, dk, ld)
        r0 = r1
      }
    }
  }
}

// MARK: - Reference

/// llm.c's scalar attention loops (with the causal mask), the test oracle.
func attentionForwardReference(
  _ out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
  qkv: UnsafePointer<Float>, batch B: Int, time T: Int, channels C: Int, heads NH: Int
) {
  let hs = C / NH
  let scale = 1 / Float(hs).squareRoot()
  for b in 0..<B {
    for t in 0..<T {
      for h in 0..<NH {
        let q = qkv + b * T * 3 * C + t * 3 * C + h * hs
        let p = att + ((b * NH + h) * T + t) * T
        var maxValue = -Float.infinity
        for t2 in 0...t {
          let k = qkv + b * T * 3 * C + t2 * 3 * C + h * hs + C
          var s: Float = 0
          for i in 0..<hs { s += q[i] * k[i] }
          p[t2] = s * scale
          maxValue = max(maxValue, p[t2])
        }
        var total: Float = 0
        for t2 in 0...t {
          p[t2] = (p[t2] - maxValue).exponential
          total += p[t2]
        }
        for t2 in 0..<T { p[t2] = t2 <= t ? p[t2] / total : 0 }
        let y = out + b * T * C + t * C + h * hs
        for i in 0..<hs { y[i] = 0 }
        for t2 in 0...t {
          let v = qkv + b * T * 3 * C + t2 * 3 * C + h * hs + 2 * C
          for i in 0..<hs { y[i] += p[t2] * v[i] }
        }
      }
    }
  }
}

extension Float {
  /// e^self through glibc (reference kernels only).
  var exponential: Float { Float(_exp(Double(self))) }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#endif
