// sgemm split across threads against one single-threaded cblas_sgemm (sgemmReference): exactly
// equal at one thread; split, equal to float rounding (a split changes OpenBLAS's tiling, see
// SplitGEMM.swift) and bit-for-bit the same at every call, whether the runs go in parallel or
// one after another. Every transpose combination, row and column splits, sizes that are not
// multiples of the 32-row blocks, products below and above the split threshold (2^18
// multiply-adds), α/β other than 0/1, and leading dimensions wider than the matrices, whose
// padding must stay untouched.

import Testing

@testable import Transformer

@Suite struct SplitGEMMTests {
  /// (M, N, K): unsplit (under the threshold, or both sides ≤ 32 blocks), split by rows (M ≥ N),
  /// split by columns (N > M), fewer 32-blocks than threads, and K over several OpenBLAS K blocks.
  static let shapes: [(Int, Int, Int)] = [
    (5, 7, 6), (33, 17, 40), (20, 30, 1000),
    (300, 70, 50), (257, 33, 129), (40, 33, 400),
    (40, 500, 37), (16, 1000, 64), (3, 2050, 45),
    (70, 40, 1100),
  ]
  static let scalings: [(alpha: Float, beta: Float)] = [(1, 0), (1, 1), (0.75, -0.5)]

  @Test(arguments: [1, 2, 3])
  func splitEqualsOneSingleThreadedCall(threads: Int) {
    setThreadCount(threads)
    var seed: UInt64 = 100
    for (M, N, K) in Self.shapes {
      for (transposeA, transposeB) in [(false, false), (false, true), (true, false), (true, true)] {
        for (alpha, beta) in Self.scalings {
          for pad in [0, 3] {
            seed += 1
            // Stored shapes: A (M, K) or Aᵀ (K, M); B (K, N) or Bᵀ (N, K); C (M, N).
            let (aRows, aColumns) = transposeA ? (K, M) : (M, K)
            let (bRows, bColumns) = transposeB ? (N, K) : (K, N)
            let (lda, ldb, ldc) = (aColumns + pad, bColumns + pad, N + pad)
            let a = randomArray(aRows * lda, seed: seed)
            let b = randomArray(bRows * ldb, seed: seed + 1000)
            let c = randomArray(M * ldc, seed: seed + 2000)
            var split = c, again = c, reference = c
            sgemm(
              transposeA: transposeA, transposeB: transposeB, m: M, n: N, k: K, alpha: alpha, a,
              lda: lda, b, ldb: ldb, beta: beta, &split, ldc: ldc, threads: threads)
            sgemm(
              transposeA: transposeA, transposeB: transposeB, m: M, n: N, k: K, alpha: alpha, a,
              lda: lda, b, ldb: ldb, beta: beta, &again, ldc: ldc, threads: threads)
            sgemmReference(
              transposeA: transposeA, transposeB: transposeB, m: M, n: N, k: K, alpha: alpha, a,
              lda: lda, b, ldb: ldb, beta: beta, &reference, ldc: ldc)
            let label =
              "\(M)×\(N)×\(K) transA \(transposeA) transB \(transposeB) α \(alpha) β \(beta) pad \(pad)"
            #expect(split.map(\.bitPattern) == again.map(\.bitPattern), "\(label)")
            if threads == 1 {
              #expect(split.map(\.bitPattern) == reference.map(\.bitPattern), "\(label)")
            } else {
              // Entries are sums of K products of N(0, 1) values, of size about √K.
              let scale = Float(K).squareRoot()
              #expect(maxRelativeError(split, reference, floor: scale) < 1e-5, "\(label)")
            }
            for row in 0..<M where pad > 0 {
              let padding = (row * ldc + N)..<((row + 1) * ldc)
              #expect(split[padding].map(\.bitPattern) == c[padding].map(\.bitPattern), "\(label)")
            }
          }
        }
      }
    }
  }

  /// The runs give the same bits whether they go in parallel or one after another on one
  /// thread (the global thread count caps the parallel loop, not the split).
  @Test func runsInParallelEqualRunsInSequence() {
    let (M, N, K) = (257, 90, 129)
    let a = randomArray(M * K, seed: 21), b = randomArray(N * K, seed: 22)
    var parallel = randomArray(M * N, seed: 23)
    var sequential = parallel
    setThreadCount(3)
    sgemm(
      transposeB: true, m: M, n: N, k: K, alpha: 0.5, a, lda: K, b, ldb: K, beta: 2, &parallel,
      ldc: N, threads: 3)
    setThreadCount(1)
    sgemm(
      transposeB: true, m: M, n: N, k: K, alpha: 0.5, a, lda: K, b, ldb: K, beta: 2, &sequential,
      ldc: N, threads: 3)
    #expect(parallel.map(\.bitPattern) == sequential.map(\.bitPattern))
  }

  /// The split products agree with naive loops summed in Double, so the reference is not wrong
  /// in the same way.
  @Test func splitMatchesNaiveLoops() {
    setThreadCount(2)
    let (M, N, K) = (300, 70, 50)
    let a = randomArray(K * M, seed: 1), b = randomArray(N * K, seed: 2)
    var c = randomArray(M * N, seed: 3)
    var naive = c
    for i in 0..<M {
      for j in 0..<N {
        var s = 0.0
        for p in 0..<K { s += Double(a[p * M + i]) * Double(b[j * K + p]) }
        naive[i * N + j] = Float(0.75 * s - 0.5 * Double(naive[i * N + j]))
      }
    }
    sgemm(
      transposeA: true, transposeB: true, m: M, n: N, k: K, alpha: 0.75, a, lda: M, b, ldb: K,
      beta: -0.5, &c, ldc: N, threads: 2)
    #expect(maxRelativeError(c, naive, floor: Float(K).squareRoot()) < 1e-5)
  }
}
