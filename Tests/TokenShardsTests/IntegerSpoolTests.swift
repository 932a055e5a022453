// The scratch spool behind MegatronWriter: values come back in order across buffer flushes, any
// number of times, and the file never shows in the directory.

import Foundation
import Testing

@testable import TokenShards

@Suite struct IntegerSpoolTests {
  @Test func readsBackInOrderAcrossFlushes() throws {
    let dir = temporaryDirectory()
    let spool = try IntegerSpool<Int64>(directory: dir)
    // 20,000 values × 8 bytes = 160,000 bytes: two 64 KiB flushes and a partial buffer.
    let values = (0..<20_000).map { Int64($0) * 1_000_003 - 7 }
    for v in values { try spool.append(v) }
    #expect(spool.count == 20_000)
    for _ in 0..<2 {
      var back: [Int64] = []
      try spool.forEach { back.append($0) }
      #expect(back == values)
    }
    try spool.append(-1)
    var last: Int64 = 0
    try spool.forEach { last = $0 }
    #expect(last == -1)
  }

  @Test func isLittleEndianAndLeavesNoFile() throws {
    let dir = temporaryDirectory()
    let spool = try IntegerSpool<Int32>(directory: dir)
    try spool.append(0x0102_0304)
    var seen: [Int32] = []
    try spool.forEach { seen.append($0) }
    #expect(seen == [0x0102_0304])
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
  }

  @Test func emptySpoolVisitsNothing() throws {
    let spool = try IntegerSpool<Int32>(directory: temporaryDirectory())
    var calls = 0
    try spool.forEach { _ in calls += 1 }
    #expect(calls == 0)
  }
}
