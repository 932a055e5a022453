// layerNormForward/Backward against the Double reference and finite differences.

import Testing

@testable import Transformer

@Suite struct LayerNormTests {
  let N = 6, C = 20

  @Test func forwardMatchesReference() {
    setThreadCount(2)
    let x = randomArray(N * C, seed: 11), w = randomArray(C, seed: 12), b = randomArray(C, seed: 13)
    var out = [Float](repeating: 0, count: N * C), ref = out
    var mean = [Float](repeating: 0, count: N), rstd = mean, rm = mean, rr = mean
    layerNormForward(
      &out, mean: &mean, rstd: &rstd, x, weight: w, bias: b, rows: N, channels: C, epsilon: 1e-5)
    layerNormForwardReference(
      &ref, mean: &rm, rstd: &rr, x, weight: w, bias: b, rows: N, channels: C, epsilon: 1e-5)
    #expect(maxRelativeError(out, ref) < 1e-4)
    #expect(maxRelativeError(rstd, rr) < 1e-5)
  }

  @Test func backwardMatchesFiniteDifferences() {
    setThreadCount(2)
    var x = randomArray(N * C, seed: 14), w = randomArray(C, seed: 15), b = randomArray(C, seed: 16)
    let r = randomArray(N * C, seed: 17)
    var out = [Float](repeating: 0, count: N * C)
    var mean = [Float](repeating: 0, count: N), rstd = mean
    layerNormForward(
      &out, mean: &mean, rstd: &rstd, x, weight: w, bias: b, rows: N, channels: C, epsilon: 1e-5)
    var dX = [Float](repeating: 0, count: N * C), dW = [Float](repeating: 0, count: C), dB = dW
    layerNormBackward(
      dInp: &dX, dWeight: &dW, dBias: &dB, dOut: r, inp: x, weight: w, mean: mean, rstd: rstd,
      rows: N,
      channels: C)
    func loss(_ x: [Float], _ w: [Float], _ b: [Float]) -> Double {
      var out = [Float](repeating: 0, count: N * C)
      var m = [Float](repeating: 0, count: N), s = m
      layerNormForwardReference(
        &out, mean: &m, rstd: &s, x, weight: w, bias: b, rows: N, channels: C, epsilon: 1e-5)
      return probe(out, r)
    }
    let (w0, b0, x0) = (w, b, x)
    let fdX = finiteDifferenceGradient(&x, indices: sampleIndices(N * C), h: 1e-2) {
      loss($0, w0, b0)
    }
    let fdW = finiteDifferenceGradient(&w, indices: sampleIndices(C)) { loss(x0, $0, b0) }
    let fdB = finiteDifferenceGradient(&b, indices: sampleIndices(C)) { loss(x0, w0, $0) }
    #expect(maxRelativeError(sampleIndices(N * C).map { dX[$0] }, fdX, floor: 5e-2) < 2e-2)
    #expect(maxRelativeError(sampleIndices(C).map { dW[$0] }, fdW, floor: 1e-2) < 1e-2)
    #expect(maxRelativeError(sampleIndices(C).map { dB[$0] }, fdB, floor: 1e-2) < 1e-2)
  }
}
