// The encoder's flat hash tables against plain dictionaries.

import Testing

@testable import BPE

@Suite struct HashTablesTests {
  @Test func pairTableFindsEveryMergeAndKeepsTheFirstRank() {
    var table = PairTable(capacityFor: 1000)
    var expected: [UInt64: UInt64] = [:]
    for k in 0..<1000 {
      let left = TokenID(k % 37)
      let right = TokenID(k / 37)
      table.insert(left: left, right: right, rank: UInt32(k), result: TokenID(5000 + k))
      expected[PairTable.key(left, right)] = UInt64(k) << 32 | UInt64(5000 + k)
    }
    table.insert(left: 0, right: 0, rank: 99_999, result: 1)  // a duplicate pair is ignored
    for (key, value) in expected {
      #expect(table.lookup(TokenID(key >> 32), TokenID(key & 0xFFFF_FFFF)) == value)
    }
    #expect(table.lookup(40, 40) == UInt64.max)
  }

  @Test func pieceTableLooksUpBorrowedSlices() {
    var table = PieceTable(capacityFor: 3)
    table.insert(Array("hello".utf8), id: 7)
    table.insert(Array(" world".utf8), id: 8)
    let text = Array("say hello world".utf8)
    text.withUnsafeBufferPointer { b in
      #expect(table.lookup(UnsafeBufferPointer(rebasing: b[4..<9])) == 7)
      #expect(table.lookup(UnsafeBufferPointer(rebasing: b[9..<15])) == 8)
      #expect(table.lookup(UnsafeBufferPointer(rebasing: b[0..<3])) == nil)
    }
  }
}
