// Token + position embedding forward and its scatter-add backward, on exact small numbers.

import Testing

@testable import Transformer

@Suite struct EncoderTests {
  @Test func forwardAddsTokenAndPositionRows() {
    let wte: [Float] = [1, 2, 10, 20, 100, 200]  // V = 3, C = 2
    let wpe: [Float] = [0.5, 0.25, -1, -2]  // T = 2
    var out = [Float](repeating: 0, count: 8)
    encoderForward(&out, tokens: [2, 0, 1, 1], wte: wte, wpe: wpe, batch: 2, time: 2, channels: 2)
    #expect(out == [100.5, 200.25, 0, 0, 10.5, 20.25, 9, 18])
  }

  @Test func backwardScattersRepeatedTokens() {
    setThreadCount(2)
    var dWte = [Float](repeating: 0, count: 6), dWpe = [Float](repeating: 0, count: 4)
    let dOut: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
    encoderBackward(
      dWte: &dWte, dWpe: &dWpe, dOut: dOut, tokens: [2, 0, 1, 1], batch: 2, time: 2, channels: 2)
    #expect(dWte == [3, 4, 12, 14, 1, 2])
    #expect(dWpe == [6, 8, 10, 12])
  }
}
