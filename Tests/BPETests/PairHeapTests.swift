// The trainer's heap pops by count, then by the smallest pair (the documented tie-break).

import Testing

@testable import BPE

@Suite struct PairHeapTests {
  @Test func popsByCountThenSmallestPair() {
    var heap = PairHeap()
    let entries: [(UInt64, Int)] = [
      (PairTable.key(7, 1), 5), (PairTable.key(2, 9), 5), (PairTable.key(2, 3), 5),
      (PairTable.key(1, 1), 2), (PairTable.key(9, 9), 8),
    ]
    for (k, (pair, count)) in entries.enumerated() {
      heap.push(MergeCandidate(pair: pair, count: count, positions: k))
    }
    var order: [Int] = []
    while let top = heap.pop() { order.append(top.positions) }
    #expect(order == [4, 2, 1, 0, 3])
  }
}
