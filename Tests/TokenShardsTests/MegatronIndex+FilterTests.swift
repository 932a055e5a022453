// Keeping some documents of a Megatron pair, on the golden example of INTEROP.md §1.8 (doc 0 =
// [5, 6, 7]; doc 1 = [1, 2], [3]; uint16).

import Testing

@testable import TokenShards

@Suite struct MegatronIndexFilterTests {
  private let index = MegatronIndex(
    dtype: .uint16, sequenceLengths: [3, 2, 1], documentIndices: [0, 1, 3])
  private let bin: [UInt8] = [5, 0, 6, 0, 7, 0, 1, 0, 2, 0, 3, 0]

  @Test func keepsTheFlaggedDocuments() throws {
    let second = try index.keeping([false, true], bin: bin, path: "P")
    #expect(second.bin == [1, 0, 2, 0, 3, 0])
    #expect(second.index.sequenceLengths == [2, 1])
    #expect(second.index.documentIndices == [0, 2])
    let first = try index.keeping([true, false], bin: bin, path: "P")
    #expect(first.bin == [5, 0, 6, 0, 7, 0])
    #expect(first.index.sequenceLengths == [3] && first.index.documentIndices == [0, 1])
    let all = try index.keeping([true, true], bin: bin, path: "P")
    #expect(all.bin == bin && all.index == index)
    let none = try index.keeping([false, false], bin: bin, path: "P")
    #expect(none.bin.isEmpty && none.index.documentIndices == [0])
  }

  @Test func refusesFlagsOrBytesThatDoNotFit() {
    #expect(throws: ShardError.self) { try index.keeping([true], bin: bin, path: "P") }
    #expect(throws: ShardError.self) {
      try index.keeping([true, true], bin: Array(bin.dropLast()), path: "P")
    }
  }
}
