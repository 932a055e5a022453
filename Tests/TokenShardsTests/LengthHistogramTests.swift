// Nearest-rank percentiles on hand-checked values.

import Testing

@testable import TokenShards

@Suite struct LengthHistogramTests {
  @Test func nearestRankPercentiles() {
    var h = LengthHistogram()
    for v in 1...10 { h.add(v) }
    #expect(h.percentile(50) == 5)
    #expect(h.percentile(90) == 9)
    #expect(h.percentile(95) == 10)
    #expect(h.percentile(100) == 10)
    #expect(h.maximum == 10)
    #expect(h.jsonValue["mean"] == .number("5.5"))
  }

  @Test func emptyHistogramIsZero() {
    #expect(LengthHistogram().percentile(50) == 0)
  }

  @Test func mergeAddsCounts() {
    var a = LengthHistogram()
    var b = LengthHistogram()
    a.add(3)
    b.add(100)
    b.add(100)
    a.merge(b)
    #expect(a.count == 3 && a.percentile(50) == 100 && a.percentile(33) == 3)
  }
}
