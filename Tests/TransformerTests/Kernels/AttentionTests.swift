// Blocked sgemm attention against llm.c's scalar loops and against finite differences.
// T = 70 spans two 64-row blocks, so the block edges are exercised.

import Testing

@testable import Transformer

@Suite struct AttentionTests {
  let B = 2, T = 70, C = 8, NH = 2

  @Test func forwardMatchesReference() {
    setThreadCount(2)
    let qkv = randomArray(B * T * 3 * C, seed: 31)
    var out = [Float](repeating: 0, count: B * T * C), ref = out
    var att = [Float](repeating: 0, count: B * NH * T * T), refAtt = att
    attentionForward(&out, att: &att, qkv: qkv, batch: B, time: T, channels: C, heads: NH)
    attentionForwardReference(
      &ref, att: &refAtt, qkv: qkv, batch: B, time: T, channels: C, heads: NH)
    #expect(maxRelativeError(out, ref) < 1e-4)
    #expect(maxRelativeError(att, refAtt, floor: 1e-4) < 1e-4)
  }

  @Test func backwardMatchesFiniteDifferences() {
    setThreadCount(2)
    let (B, T, C, NH) = (1, 6, 8, 2)
    var qkv = randomArray(B * T * 3 * C, seed: 32)
    let r = randomArray(B * T * C, seed: 33)
    var out = [Float](repeating: 0, count: B * T * C)
    var att = [Float](repeating: 0, count: B * NH * T * T)
    attentionForward(&out, att: &att, qkv: qkv, batch: B, time: T, channels: C, heads: NH)
    var dQKV = [Float](repeating: 0, count: B * T * 3 * C)
    var scratch = att
    attentionBackward(
      dQKV: &dQKV, scratch: &scratch, dOut: r, qkv: qkv, att: att, batch: B, time: T, channels: C,
      heads: NH)
    let indices = Array(0..<(B * T * 3 * C))
    let fd = finiteDifferenceGradient(&qkv, indices: indices, h: 1e-2) { x in
      var out = [Float](repeating: 0, count: B * T * C)
      var att = [Float](repeating: 0, count: B * NH * T * T)
      attentionForwardReference(&out, att: &att, qkv: x, batch: B, time: T, channels: C, heads: NH)
      return probe(out, r)
    }
    #expect(maxRelativeError(dQKV, fd, floor: 1e-2) < 1e-2)
  }

  @Test func futureTokensDoNotChangeThePast() {
    setThreadCount(1)
    var qkv = randomArray(T * 3 * C, seed: 34)
    var first = [Float](repeating: 0, count: T * C)
    var att = [Float](repeating: 0, count: NH * T * T)
    attentionForward(&first, att: &att, qkv: qkv, batch: 1, time: T, channels: C, heads: NH)
    for i in (40 * 3 * C)..<(T * 3 * C) { qkv[i] += 1 }  // change positions 40…
    var second = first
    attentionForward(&second, att: &att, qkv: qkv, batch: 1, time: T, channels: C, heads: NH)
    #expect(Array(first[0..<(40 * C)]) == Array(second[0..<(40 * C)]))
    #expect(Array(first[(40 * C)...]) != Array(second[(40 * C)...]))
  }
}
