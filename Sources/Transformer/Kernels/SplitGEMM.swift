// Row-major sgemm on the engine's own threads: one pool of threads for the whole engine.
// C (M, N) = α · op(A) (M, K) · op(B) (K, N) + β · C, as cblas_sgemm with CblasRowMajor.
// OpenBLAS is held at one thread (Threading.swift); a large product is split into blocks of
// 32 output rows (or, when N > M, 32 output columns) and the blocks into one contiguous run per
// thread, each run one single-threaded cblas_sgemm on its part of C.
// Performance notes: with OpenBLAS's own threads, its idle worker spun after every call and
// competed with our parallel loops for the cores (measured: about half again as much CPU per PPO
// phase at 2 threads as at 1). The larger of M and N is split, so each thread packs the smaller
// operand's share again (op(B) for a row split, op(A) for a column split). Products of at most
// 2^18 multiply-adds run unsplit, OpenBLAS's own threshold for threading.
// Rounding: a split never divides K, yet it is NOT bit-identical to one call on the whole
// product. OpenBLAS 0.3.21 (Debian 12, DYNAMIC_ARCH, the Haswell kernels on this machine) tiles
// C from the whole call's M and N, and its tiles do not all sum over K alike, so some elements
// differ in the last bits (measured: 16×1000×64 split at column 512, 488 of 16,000 elements).
// OpenBLAS's own threading differs from its single-threaded call in the same way (9,554 of
// 16,000 there), so this is no new loss: at one thread `sgemm` is exactly one cblas_sgemm
// call, and at a fixed thread count the split, hence every bit, depends only on the shape.

import COpenBLAS

private let splitBlock = 32
private let splitThreshold = 262_144

/// C = α · op(A) · op(B) + β · C, row-major; `transposeA`/`transposeB` as CblasTrans.
/// Shapes: op(A) (M, K), op(B) (K, N), C (M, N), with leading dimensions as cblas_sgemm's.
/// Split into at most `threads` runs (tests pass it, since the thread count is global and test
/// suites run concurrently). At one run, exactly `sgemmReference`; split, equal to it to float
/// rounding and the same bits at every call with the same shape and `threads`.
func sgemm(
  transposeA: Bool = false, transposeB: Bool = false, m M: Int, n N: Int, k K: Int,
  alpha: Float, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = threadCount
) {
  guard M > 0, N > 0 else { return }
  let splitRows = M >= N
  let blocks = ((splitRows ? M : N) + splitBlock - 1) / splitBlock
  let runs = min(threads, blocks)
  if runs <= 1 || M * N * K <= splitThreshold {
    sgemmReference(
      transposeA: transposeA, transposeB: transposeB, m: M, n: N, k: K, alpha: alpha, a,
      lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
    return
  }
  // Each run writes only its own rows (or columns) of C; A and B are read only.
  nonisolated(unsafe) let c = c
  parallelFor(runs) { range in
    for run in range {
      let first = blocks * run / runs * splitBlock
      let end = min(splitRows ? M : N, blocks * (run + 1) / runs * splitBlock)
      if splitRows {
        // Row i of op(A): row i of A, or column i of Aᵀ as stored.
        sgemmReference(
          transposeA: transposeA, transposeB: transposeB, m: end - first, n: N, k: K,
          alpha: alpha, a + first * (transposeA ? 1 : lda), lda: lda, b, ldb: ldb, beta: beta,
          c + first * ldc, ldc: ldc)
      } else {
        // Column j of op(B): column j of B, or row j of Bᵀ as stored.
        sgemmReference(
          transposeA: transposeA, transposeB: transposeB, m: M, n: end - first, k: K,
          alpha: alpha, a, lda: lda, b + first * (transposeB ? ldb : 1), ldb: ldb, beta: beta,
          c + first, ldc: ldc)
      }
    }
  }
}

/// One cblas_sgemm call (OpenBLAS is held at one thread), the oracle of `sgemm`.
func sgemmReference(
  transposeA: Bool = false, transposeB: Bool = false, m M: Int, n N: Int, k K: Int,
  alpha: Float, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
    Int32(M), Int32(N), Int32(K), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
