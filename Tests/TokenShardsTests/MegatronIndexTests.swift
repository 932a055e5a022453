// INTEROP.md §1.8 golden vector byte for byte, the validating decoder, and the dtype rule (K16).

import Testing

@testable import TokenShards

@Suite struct MegatronIndexTests {
  static let goldenIdx = bytesFromHex(
    """
    4d 4d 49 44 49 44 58 00 00
    01 00 00 00 00 00 00 00
    08
    03 00 00 00 00 00 00 00
    03 00 00 00 00 00 00 00
    03 00 00 00 02 00 00 00 01 00 00 00
    00 00 00 00 00 00 00 00 06 00 00 00 00 00 00 00
    0a 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00
    03 00 00 00 00 00 00 00
    """)

  @Test func encodesTheGoldenIndexByteForByte() {
    let index = MegatronIndex(
      dtype: .uint16, sequenceLengths: [3, 2, 1], documentIndices: [0, 1, 3])
    #expect(index.encoded() == Self.goldenIdx)
    #expect(index.encoded().count == 94)
    #expect(index.sequencePointers == [0, 6, 10])
    #expect(index.binSize == 12)
  }

  @Test func encodedEqualsTheReferenceEncoder() {
    #expect(
      MegatronIndex(dtype: .uint8).encoded() == MegatronIndex(dtype: .uint8).encodedReference())
    var state: UInt64 = 7
    for dtype in [MegatronDType.uint8, .uint16, .int32] {
      for sequences in [1, 2, 5, 33] {
        var lengths: [Int32] = []
        var documents: [Int64] = [0]
        for s in 0..<sequences {
          state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
          lengths.append(Int32(truncatingIfNeeded: state >> 40) & 0x7FFF)
          if s % 3 != 1 || s == sequences - 1 { documents.append(Int64(s + 1)) }
        }
        let index = MegatronIndex(
          dtype: dtype, sequenceLengths: lengths, documentIndices: documents)
        #expect(index.encoded() == index.encodedReference())
        #expect(index.encoded().count == index.encodedSize)
      }
    }
  }

  @Test func decodesTheGoldenIndex() throws {
    let index = try MegatronIndex.decode(Self.goldenIdx, path: "P.idx")
    #expect(index.dtype == .uint16)
    #expect(index.sequenceLengths == [3, 2, 1])
    #expect(index.documentIndices == [0, 1, 3])
    #expect(index.documentCount == 2)
  }

  @Test func rejectsBadMagicVersionAndSize() {
    var bytes = Self.goldenIdx
    bytes[0] = 0x54
    #expect(throws: ShardError.self) { try MegatronIndex.decode(bytes, path: "P.idx") }
    bytes = Self.goldenIdx
    bytes[9] = 2
    #expect(
      throws: ShardError.badHeader(path: "P.idx", expected: "version 1", found: "version 2")
    ) { try MegatronIndex.decode(bytes, path: "P.idx") }
    #expect(throws: ShardError.self) {
      try MegatronIndex.decode(Array(Self.goldenIdx.dropLast()), path: "P.idx")
    }
  }

  @Test func rejectsPointerThatIsNotThePrefixSum() {
    var bytes = Self.goldenIdx
    bytes[34 + 12 + 8] = 0x07  // pointer[1] = 7 instead of 6
    #expect(
      throws: ShardError.invariantViolated(
        path: "P.idx", detail: "sequence 1 pointer is 7, expected 6 (prefix sum)")
    ) { try MegatronIndex.decode(bytes, path: "P.idx") }
  }

  @Test func rejectsDocumentIndicesOutOfOrder() {
    var bytes = Self.goldenIdx
    bytes[34 + 36 + 8] = 0x04  // doc[1] = 4 > S
    #expect(throws: ShardError.self) { try MegatronIndex.decode(bytes, path: "P.idx") }
  }

  /// K16 boundaries: vocab 65,499 → uint16; 65,500 → int32.
  @Test func dtypeFollowsMegatronsOptimalRule() {
    #expect(MegatronDType.optimal(vocabularySize: 65_499) == .uint16)
    #expect(MegatronDType.optimal(vocabularySize: 65_500) == .int32)
    #expect(MegatronDType.optimal(vocabularySize: 50_257) == .uint16)
    #expect(MegatronDType.optimal(vocabularySize: 70_001) == .int32)
  }
}
