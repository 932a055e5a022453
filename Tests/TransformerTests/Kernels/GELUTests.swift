// GELU (tanh) against glibc tanh in Double and finite differences; the residual pair.

import Testing

@testable import Transformer

@Suite struct GELUTests {
  @Test func forwardMatchesReferenceOverWideRange() {
    setThreadCount(2)
    let x = (0..<1001).map { Float($0 - 500) / 40 }  // −12.5 … 12.5, includes the tails
    var fast = [Float](repeating: 0, count: x.count), slow = fast
    geluForward(&fast, x, count: x.count)
    geluForwardReference(&slow, x, count: x.count)
    for i in x.indices {
      #expect(abs(fast[i] - slow[i]) <= 2e-6 * max(1, abs(slow[i])), "x = \(x[i])")
    }
  }

  @Test func knownValues() {
    var out = [Float](repeating: 0, count: 3)
    geluForward(&out, [0, 1, -1], count: 3)
    #expect(out[0] == 0)
    #expect(abs(out[1] - 0.841_192) < 1e-5)  // torch.nn.functional.gelu(1, approximate="tanh")
    #expect(abs(out[2] + 0.158_808) < 1e-5)
  }

  @Test func backwardMatchesFiniteDifferences() {
    setThreadCount(2)
    var x = randomArray(37, seed: 21, std: 2)
    let r = randomArray(37, seed: 22)
    var dX = [Float](repeating: 0, count: 37)
    geluBackward(dInp: &dX, inp: x, dOut: r, count: 37)
    let fd = finiteDifferenceGradient(&x, indices: Array(0..<37), h: 1e-2) { x in
      var out = [Float](repeating: 0, count: 37)
      geluForwardReference(&out, x, count: 37)
      return probe(out, r)
    }
    #expect(maxRelativeError(dX, fd, floor: 1e-2) < 1e-2)
  }

  @Test func residualPassesGradientToBothInputs() {
    var out = [Float](repeating: 0, count: 3)
    residualForward(&out, [1, 2, 3], [10, 20, 30], count: 3)
    #expect(out == [11, 22, 33])
    var dA: [Float] = [1, 1, 1], dB: [Float] = [0, 0, 0]
    residualBackward(dA: &dA, dB: &dB, dOut: [0.5, -1, 2], count: 3)
    #expect(dA == [1.5, 0, 3])
    #expect(dB == [0.5, -1, 2])
  }

  /// The residual pair split into 4096-value blocks across two threads equals the plain loops
  /// bit for bit, on a length that leaves a partial last block.
  @Test func residualSplitAcrossThreadsMatchesThePlainLoops() {
    setThreadCount(2)
    let n = 3 * 4096 + 5
    let a = randomArray(n, seed: 31), b = randomArray(n, seed: 32), d = randomArray(n, seed: 33)
    var out = [Float](repeating: 0, count: n)
    residualForward(&out, a, b, count: n)
    #expect(out == a.indices.map { a[$0] + b[$0] })
    var dA = a, dB = b
    residualBackward(dA: &dA, dB: &dB, dOut: d, count: n)
    #expect(dA == a.indices.map { a[$0] + d[$0] })
    #expect(dB == b.indices.map { b[$0] + d[$0] })
  }
}
