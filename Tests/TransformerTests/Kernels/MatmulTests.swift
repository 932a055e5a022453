// matmulForward/Backward against the naive loops and against finite differences.

import Testing

@testable import Transformer

@Suite struct MatmulTests {
  let N = 5, IC = 7, OC = 6

  @Test func forwardMatchesReference() {
    setThreadCount(2)
    let inp = randomArray(N * IC, seed: 1), w = randomArray(IC * OC, seed: 2),
      b = randomArray(OC, seed: 3)
    var fast = [Float](repeating: 0, count: N * OC), slow = fast
    matmulForward(&fast, inp, w, b, rows: N, inChannels: IC, outChannels: OC)
    matmulForwardReference(&slow, inp, w, b, rows: N, inChannels: IC, outChannels: OC)
    #expect(maxRelativeError(fast, slow) < 1e-5)
  }

  @Test func backwardMatchesReferenceAndFiniteDifferences() {
    setThreadCount(2)
    var inp = randomArray(N * IC, seed: 4), w = randomArray(IC * OC, seed: 5)
    let b = randomArray(OC, seed: 6), r = randomArray(N * OC, seed: 7)
    var dInp = [Float](repeating: 0, count: N * IC), dW = [Float](repeating: 0, count: IC * OC)
    var dB = [Float](repeating: 0, count: OC)
    var rInp = dInp, rW = dW, rB = dB
    matmulBackward(
      dInp: &dInp, dWeight: &dW, dBias: &dB, dOut: r, inp: inp, weight: w, rows: N, inChannels: IC,
      outChannels: OC)
    matmulBackwardReference(
      dInp: &rInp, dWeight: &rW, dBias: &rB, dOut: r, inp: inp, weight: w, rows: N, inChannels: IC,
      outChannels: OC)
    #expect(maxRelativeError(dInp, rInp) < 1e-5)
    #expect(maxRelativeError(dW, rW) < 1e-5)
    #expect(maxRelativeError(dB, rB) < 1e-5)
    let weights = w
    let fdInp = finiteDifferenceGradient(&inp, indices: sampleIndices(N * IC)) { x in
      var out = [Float](repeating: 0, count: N * OC)
      matmulForwardReference(&out, x, weights, b, rows: N, inChannels: IC, outChannels: OC)
      return probe(out, r)
    }
    #expect(maxRelativeError(sampleIndices(N * IC).map { dInp[$0] }, fdInp, floor: 1e-2) < 1e-2)
    let input = inp
    let fdW = finiteDifferenceGradient(&w, indices: sampleIndices(IC * OC)) { x in
      var out = [Float](repeating: 0, count: N * OC)
      matmulForwardReference(&out, input, x, b, rows: N, inChannels: IC, outChannels: OC)
      return probe(out, r)
    }
    #expect(maxRelativeError(sampleIndices(IC * OC).map { dW[$0] }, fdW, floor: 1e-2) < 1e-2)
  }

  /// Overwriting dInp (beta 0) gives exactly what accumulating into a zero-filled dInp gives,
  /// whatever dInp held before, also when the inner size OC spans several of OpenBLAS's K blocks.
  /// The shapes stay under OpenBLAS's threading threshold (m·n·k < 262,144), so the suites that
  /// set the global thread count meanwhile cannot change how the two calls are split.
  @Test func overwritingTheInputGradientEqualsAccumulatingIntoZeros() {
    for (n, ic, oc) in [(5, 7, 6), (4, 64, 800), (3, 40, 2000)] {
      let dOut = randomArray(n * oc, seed: 11), inp = randomArray(n * ic, seed: 12)
      let w = randomArray(ic * oc, seed: 13)
      var zeroed = [Float](repeating: 0, count: n * ic)
      var garbage = randomArray(n * ic, seed: 14)
      var dW = [Float](repeating: 0, count: ic * oc)
      matmulBackward(
        dInp: &zeroed, dWeight: &dW, dBias: nil, dOut: dOut, inp: inp, weight: w, rows: n,
        inChannels: ic, outChannels: oc)
      matmulBackward(
        dInp: &garbage, dWeight: &dW, dBias: nil, dOut: dOut, inp: inp, weight: w, rows: n,
        inChannels: ic, outChannels: oc, overwritingInputGradient: true)
      #expect(garbage.map(\.bitPattern) == zeroed.map(\.bitPattern), "\(n)×\(ic)×\(oc)")
    }
  }
}
