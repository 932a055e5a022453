// ConcurrentMap against its reference, `range.map`: every thread count, empty and offset ranges,
// results in order whichever worker computed them.

import Synchronization
import Testing

@testable import TokenShards

@Suite struct ConcurrentMapTests {
  @Test func equalsTheSerialMap() {
    for range in [0..<0, 0..<1, 3..<4, 0..<7, 5..<105] {
      for threads in [0, 1, 2, 3, 4, 200] {
        let found = concurrentMap(range, threads: threads) { [$0, $0 * $0] }
        #expect(found == range.map { [$0, $0 * $0] }, "\(range), \(threads) threads")
      }
    }
  }

  @Test func runsEveryElementOnce() {
    let calls = Atomic<Int>(0)
    let found = concurrentMap(10..<50, threads: 3) { k -> String in
      calls.add(1, ordering: .relaxed)
      return "r\(k)"
    }
    #expect(calls.load(ordering: .relaxed) == 40)
    #expect(found.first == "r10" && found.last == "r49" && found.count == 40)
  }
}
