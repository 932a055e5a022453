// The streaming writer reproduces the §1.8 golden files and streams the same .idx as the in-memory
// reference; ids are range-checked, never wrapped (K16); the fast encoder equals the naive reference.

import Testing

@testable import TokenShards

@Suite struct MegatronWriterTests {
  @Test func writesTheGoldenPair() throws {
    let dir = temporaryDirectory()
    let writer = try MegatronWriter(directory: dir, prefix: "P", dtype: .uint16, idLimit: 100)
    try writer.append([5, 6, 7])
    try writer.endDocument()
    try writer.append([1, 2])
    try writer.append([3])
    try writer.endDocument()
    let files = try writer.finish()
    #expect(readFile(dir + "/P.bin") == bytesFromHex("05 00 06 00 07 00 01 00 02 00 03 00"))
    #expect(readFile(dir + "/P.idx") == MegatronIndexTests.goldenIdx)
    #expect(files.map(\.name) == ["P.bin", "P.idx"])
    #expect(files[0].sha256 == sha256Hex(readFile(dir + "/P.bin")))
    #expect(files[1].bytes == 94)
  }

  /// K16: with vocab 70,001 the ids 65534, 65535, 65536, 70000 are stored as int32 and read back.
  @Test func largeIdsReadBackUnchangedInInt32() throws {
    let ids: [UInt32] = [65534, 65535, 65536, 70000]
    let dtype = MegatronDType.optimal(vocabularySize: 70_001)
    var out: [UInt8] = []
    try encodeTokens(ids, dtype: dtype, idLimit: 70_001, into: &out, path: "x.bin")
    let back = out.withUnsafeBytes { decodeTokens($0, byteOffset: 0, count: 4, dtype: dtype) }
    #expect(back == ids)
  }

  /// K16: 70000 is never stored as 4464 in a uint16 file.
  @Test func refusesToWrapIntoUInt16() {
    var out: [UInt8] = []
    #expect(
      throws: ShardError.tokenOutOfRange(
        path: "x.bin", id: 70000, limit: 65536,
        detail: "uint16 shards hold ids below 65536; refusing to wrap it")
    ) { try encodeTokens([1, 70000], dtype: .uint16, idLimit: 70_001, into: &out, path: "x.bin") }
  }

  @Test func refusesIdsAtOrAboveTheVocabulary() throws {
    let dir = temporaryDirectory()
    let writer = try MegatronWriter(directory: dir, prefix: "P", dtype: .uint16, idLimit: 261)
    #expect(throws: ShardError.self) { try writer.append([260, 261]) }
    writer.discard()
  }

  /// The streamed `.idx` equals the in-memory reference `MegatronIndex.encoded()` on random layouts
  /// large enough to cross the 64 KiB write and spool buffers.
  @Test(arguments: [MegatronDType.uint8, .uint16, .int32])
  func streamedIndexEqualsTheReference(dtype: MegatronDType) throws {
    let dir = temporaryDirectory()
    let writer = try MegatronWriter(directory: dir, prefix: "P", dtype: dtype, idLimit: 256)
    var reference = MegatronIndex(dtype: dtype)
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<3000 {
      for _ in 0..<Int.random(in: 0...3, using: &generator) {
        let ids = (0..<Int.random(in: 0...9, using: &generator)).map { _ in
          UInt32.random(in: 0..<256, using: &generator)
        }
        if dtype == .uint8 {
          try writer.append(bytes: ids.map { UInt8($0) })
        } else {
          try writer.append(ids)
        }
        reference.sequenceLengths.append(Int32(ids.count))
      }
      try writer.endDocument()
      reference.documentIndices.append(Int64(reference.sequenceLengths.count))
    }
    let files = try writer.finish()
    let idx = readFile(dir + "/P.idx")
    #expect(idx == reference.encoded())
    #expect(files[1] == ShardFile(name: "P.idx", bytes: idx.count, sha256: sha256Hex(idx)))
    #expect(writer.sequenceCount == reference.sequenceLengths.count)
    #expect(writer.documentCount == 3000)
  }

  @Test(arguments: [MegatronDType.uint8, .uint16, .int32])
  func fastEncoderMatchesReference(dtype: MegatronDType) throws {
    var generator = SystemRandomNumberGenerator()
    let ids = (0..<1000).map { _ in UInt32.random(in: 0..<255, using: &generator) }
    var fast: [UInt8] = []
    try encodeTokens(ids, dtype: dtype, idLimit: 256, into: &fast, path: "x")
    #expect(fast == (try encodeTokensReference(ids, dtype: dtype, idLimit: 256, path: "x")))
  }
}
