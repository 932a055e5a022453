// Measured sgemm throughput, the denominator of model FLOP utilization (MFU): a square peak
// and the exact matmul shapes of one training step of a given model (Benchmarks/engine).

#if canImport(Glibc)
import Glibc
#endif

/// One sgemm problem: C (m, n) = op(A) · op(B) with inner size k.
public struct MatmulShape: Sendable, Equatable {
  /// Output rows, output columns, inner size.
  public var m: Int, n: Int, k: Int
  /// Whether A, B are transposed as stored.
  public var transposeA: Bool, transposeB: Bool
  /// 2·m·n·k.
  public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
}

/// The sgemm calls of one training step (forward and backward) outside attention, in order.
public func trainingStepMatmulShapes(config: ModelConfig, batchSize: Int, sequenceLength: Int)
  -> [MatmulShape]
{
  let N = batchSize * sequenceLength
  let (C, V) = (config.channelCount, config.vocabularySize)
  var shapes: [MatmulShape] = []
  for (inC, outC) in [(C, 3 * C), (C, C), (C, 4 * C), (4 * C, C)] {
    for _ in 0..<config.layerCount {
      // forward
      shapes.append(MatmulShape(m: N, n: outC, k: inC, transposeA: false, transposeB: false))
      // dInp
      shapes.append(MatmulShape(m: N, n: inC, k: outC, transposeA: false, transposeB: true))
      // dWeight
      shapes.append(MatmulShape(m: inC, n: outC, k: N, transposeA: true, transposeB: false))
    }
  }
  shapes.append(MatmulShape(m: N, n: V, k: C, transposeA: false, transposeB: true))  // logits
  shapes.append(MatmulShape(m: N, n: C, k: V, transposeA: false, transposeB: false))  // dLnf
  shapes.append(MatmulShape(m: V, n: C, k: N, transposeA: true, transposeB: false))  // dWte
  return shapes
}

private func seconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// GFLOP/s of running `shapes` back to to back (best of `repeats`), at the current thread count.
public func measuredGFLOPS(shapes: [MatmulShape], repeats: Int) -> Double {
  let largest = shapes.map { max($0.m * $0.k, $0.k * $0.n, $0.m * $0.n) }.max() ?? 1
  let a = FloatArena(count: largest), b = FloatArena(count: largest), c = FloatArena(count: largest)
  for i in 0..<largest {
    a.storage[i] = Float(i % 7) * 0.01
    b.storage[i] = Float(i % 5) * 0.01
  }
  let total = shapes.reduce(0) { $0 + $1.flops }
  var best = Double.infinity
  for _ in 0..<max(1, repeats) {
    let start = seconds()
    for s in shapes {
      let lda = s.transposeA ? s.m : s.k
      let ldb = s.transposeB ? s.k : s.n
      sgemm(
        transposeA: s.transposeA, transposeB: s.transposeB, m: s.m, n: s.n, k: s.k, alpha: 1,
        a.storage.baseAddress!, lda: lda, b.storage.baseAddress!, ldb: ldb, beta: 0,
        c.storage.baseAddress!, ldc: s.n)
    }
    best = min(best, seconds() - start)
  }
  return total / best / 1e9
}

/// GFLOP/s of a square sgemm of `size` (best of `repeats`): the machine's practical peak.
public func measuredPeakGFLOPS(size: Int, repeats: Int) -> Double {
  measuredGFLOPS(
    shapes: [MatmulShape(m: size, n: size, k: size, transposeA: false, transposeB: false)],
    repeats: repeats)
}
