// SHA256Batch (two interleaved SHA-NI streams over pre-padded messages) against its reference,
// SHA256.hash of each message alone: every length around the padding and block boundaries, equal
// and unequal neighbours (lanes finishing together or apart), an odd count (one lane ends alone),
// reuse after removeAll, and the 16-hex-digit prefix the record ids use.

import Testing

@testable import Corpus

@Suite struct SHA256BatchTests {
  /// Deterministic bytes (a 64-bit LCG), so a failure names a reproducible input.
  static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 33)
    }
  }

  func check(_ messages: [[UInt8]], batch: inout SHA256Batch) {
    for message in messages {
      message.withUnsafeBytes { batch.append($0) }
      batch.endMessage()
    }
    batch.computeDigests()
    #expect(batch.count == messages.count)
    for (i, message) in messages.enumerated() {
      let expected = SHA256.hash(message)
      #expect(batch.digest(i) == expected, "message \(i), \(message.count) bytes")
      let prefix = expected.bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      #expect(batch.digestPrefix(i) == prefix)
    }
  }

  @Test func everyLengthAroundTheBlockBoundaries() {
    // 0…200 bytes: every partial-block size more than three times, one message each.
    let messages = (0...200).map { Self.bytes($0, seed: UInt64($0)) }
    var batch = SHA256Batch()
    check(messages, batch: &batch)
  }

  @Test func unevenNeighboursOddCountsAndReuse() {
    var batch = SHA256Batch()
    // Long next to short (one lane runs many messages while the other runs one), equal lengths
    // (both lanes finish together), and an odd count (the last message finishes alone).
    let lengths = [1000, 3, 5, 0, 55, 56, 64, 2000, 119, 120, 64, 64, 128, 128, 7]
    check(lengths.enumerated().map { Self.bytes($1, seed: UInt64(100 + $0)) }, batch: &batch)
    batch.removeAll()
    check([Self.bytes(300, seed: 1)], batch: &batch)
    batch.removeAll()
    check([], batch: &batch)
    batch.removeAll()
    check((0..<64).map { Self.bytes(($0 * 37) % 500, seed: UInt64($0)) }, batch: &batch)
  }

  @Test func pieceByPieceAppendsEqualOneAppend() {
    // The canonical record content is appended field by field; appendInPlace and the u64 length.
    var batch = SHA256Batch()
    let fields = [Self.bytes(10, seed: 3), Self.bytes(0, seed: 4), Self.bytes(90, seed: 5)]
    var whole: [UInt8] = []
    for field in fields {
      batch.appendLittleEndian(UInt64(field.count))
      batch.appendInPlace { $0 += field }
      whole += withUnsafeBytes(of: UInt64(field.count).littleEndian) { Array($0) }
      whole += field
    }
    batch.endMessage()
    batch.computeDigests()
    #expect(batch.digest(0) == SHA256.hash(whole))
  }
}
