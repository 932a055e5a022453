// Fused weighted cross-entropy against the Double reference, a hand-computed value, finite
// differences, and the log-probability/entropy kernel.

import Testing

@testable import Transformer

#if canImport(Glibc)
import Glibc
#endif

@Suite struct CrossEntropyTests {
  @Test func handComputedTwoTokenExample() {
    // Row 0: logits [0, ln 3] → p = [1/4, 3/4], target 1 → nll = ln(4/3).
    // Row 1: logits [0, 0], target 0, weight 0 → ignored. Mean over weight 1.
    let logits: [Float] = [0, Float(log(3.0)), 0, 0]
    var d = [Float](repeating: 9, count: 4), rows = [Float](repeating: 0, count: 2)
    let loss = crossEntropyForwardBackward(
      dLogits: &d, rowLoss: &rows, logits: logits, targets: [1, 0], weights: [1, 0], normalizer: 1,
      rows: 2,
      vocabulary: 2)
    #expect(abs(loss - Float(log(4.0 / 3.0))) < 1e-6)
    #expect(abs(d[0] - 0.25) < 1e-6 && abs(d[1] + 0.25) < 1e-6)
    #expect(d[2] == 0 && d[3] == 0)
  }

  @Test func matchesReferenceAndFiniteDifferences() {
    setThreadCount(2)
    let (N, V) = (5, 37)
    var logits = randomArray(N * V, seed: 41, std: 3)
    let targets: [Int32] = [3, 0, 36, 17, 5]
    let weights: [Float] = [1, 0.5, 0, 2, -1]
    var d = [Float](repeating: 0, count: N * V), ref = d, rows = [Float](repeating: 0, count: N)
    let loss = crossEntropyForwardBackward(
      dLogits: &d, rowLoss: &rows, logits: logits, targets: targets, weights: weights,
      normalizer: 2.5,
      rows: N, vocabulary: V)
    let refLoss = crossEntropyReference(
      dLogits: &ref, logits: logits, targets: targets, weights: weights, normalizer: 2.5, rows: N,
      vocabulary: V)
    #expect(abs(loss - refLoss) < 1e-5 * abs(refLoss))
    #expect(maxRelativeError(d, ref, floor: 1e-4) < 1e-4)
    let fd = finiteDifferenceGradient(&logits, indices: sampleIndices(N * V), h: 1e-2) { x in
      var scratch = [Float](repeating: 0, count: N * V)
      return Double(
        crossEntropyReference(
          dLogits: &scratch, logits: x, targets: targets, weights: weights, normalizer: 2.5,
          rows: N,
          vocabulary: V))
    }
    #expect(maxRelativeError(sampleIndices(N * V).map { d[$0] }, fd, floor: 1e-2) < 1e-2)
  }

  @Test func logProbabilitiesAndEntropy() {
    // Uniform over 4 → log p = −ln 4, H = ln 4; one-hot-ish row → p ≈ 1, H ≈ 0.
    var lp = [Float](repeating: 0, count: 2), h = lp
    let logits: [Float] = [2, 2, 2, 2, 100, 0, 0, 0]
    tokenLogProbabilitiesForward(
      &lp, entropy: &h, logits: logits, targets: [1, 0], rows: 2, vocabulary: 4)
    #expect(abs(lp[0] + Float(log(4.0))) < 1e-6)
    #expect(abs(h[0] - Float(log(4.0))) < 1e-6)
    #expect(abs(lp[1]) < 1e-6 && abs(h[1]) < 1e-6)
  }
}
