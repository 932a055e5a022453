// The framed stream: a golden byte vector assembled by hand from Schemas/stream.md, and a reader that
// rejects early EOF at every cut point, any flipped byte, and a tokenizer mismatch.

import Corpus
import Foundation
import Testing

@testable import TokenShards

@Suite struct ShardStreamTests {
  static let tokenizerFile: [UInt8] = Array("tok".utf8)
  static let header = ShardHeader(
    config: TargetConfig(kind: .seq2seq), vocabularySize: 261,
    specialIDs: SpecialIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4),
    tokenizerFile: tokenizerFile)
  static let record = EncodedRecord(
    id: 0x0102_0304_0506_0708, split: .val,
    documents: [[TokenSequence(tokens: [1, 7, 2], mask: [0, 1, 1])]])
  static let summary = ShardSummary(accounting: .object([]), lengths: .object([]))

  static func streamBytes() throws -> [UInt8] {
    let sink = MemorySink()
    let writer = try ShardStreamWriter(output: sink, header: header)
    try writer.write(record)
    try writer.finish(summary: summary)
    return sink.bytes
  }

  @Test func goldenByteVector() throws {
    let config = Array(
      (#"{"targets":"seq2seq","max_len":null,"identity_ratio":1,"val_fraction":0.05,"#
        + #""dedup":true,"keep_truncated_targets":false,"shard_tokens":0}"#).utf8)
    let summaryJSON = Array(#"{"accounting":{},"lengths":{},"upstream":null}"#.utf8)
    var expected = bytesFromHex("52 4d 53 54 52 45 41 4d  01 00 00 00  01  08  00 00  05 01 00 00")
    expected += Corpus.SHA256.hash(Self.tokenizerFile).bytes
    expected += bytesFromHex("00 00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00")
    expected += [UInt8(config.count), 0, 0, 0] + config
    expected += bytesFromHex("03 00 00 00 00 00 00 00  74 6f 6b")
    expected += bytesFromHex(
      """
      01 01  08 07 06 05 04 03 02 01  01 00
      01 00  03 00 00 00  01 00 07 00 02 00  00 01 01
      """)
    expected += bytesFromHex(
      """
      ff  01 00 00 00 00 00 00 00  01 00 00 00 00 00 00 00
      01 00 00 00 00 00 00 00  03 00 00 00 00 00 00 00
      """)
    expected += [UInt8(summaryJSON.count), 0, 0, 0] + summaryJSON
    expected += Corpus.SHA256.hash(expected).bytes
    #expect(try Self.streamBytes() == expected)
  }

  @Test func roundTripsIntoAShardDirectory() throws {
    let dir = temporaryDirectory()
    let data = try readStream(bytes: Self.streamBytes(), expectedTokenizerSHA256: nil, into: dir)
    #expect(try data.documents(split: .val) == Self.record.documents)
    #expect(try data.documents(split: .train).isEmpty)
    #expect(data.manifest.splits[.val]?.records == 1)
    #expect(readFile(data.tokenizerPath) == Self.tokenizerFile)
  }

  /// The file-descriptor path `rmprep shards` uses: same directory, manifest returned unopened.
  @Test func writeStreamFromAFileGivesTheManifest() throws {
    let dir = temporaryDirectory()
    let path = dir + ".stream"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(try Self.streamBytes())))
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    let manifest = try writeStream(from: fd, expectedTokenizerSHA256: nil, into: dir)
    #expect(manifest == (try ShardDataset.open(directory: dir)).manifest)
    #expect(manifest.splits[.val]?.records == 1)
  }

  /// A stream cut anywhere before its end is rejected, and no manifest appears.
  @Test func everyPrefixIsRejected() throws {
    let full = try Self.streamBytes()
    for cut in 0..<full.count {
      let dir = temporaryDirectory()
      defer { removeDirectory(dir) }
      do {
        _ = try readStream(bytes: Array(full[0..<cut]), expectedTokenizerSHA256: nil, into: dir)
        Issue.record("prefix of \(cut) bytes was accepted")
      } catch let error as ShardError {
        switch error {
        case .streamTruncated, .streamCorrupt: break
        default: Issue.record("cut \(cut): unexpected \(error)")
        }
      }
      #expect(ShardFiles.size(dir + "/manifest.json") == nil)
    }
  }

  /// Any single flipped byte is caught (header checks, range checks, counts or the checksum).
  @Test func everyFlippedByteIsRejected() throws {
    let full = try Self.streamBytes()
    for position in 0..<full.count {
      var bytes = full
      bytes[position] ^= 0x10
      let dir = temporaryDirectory()
      defer { removeDirectory(dir) }
      #expect(throws: (any Error).self, "flip at \(position)") {
        _ = try readStream(bytes: bytes, expectedTokenizerSHA256: nil, into: dir)
      }
      #expect(ShardFiles.size(dir + "/manifest.json") == nil)
    }
  }

  @Test func checksumMismatchIsNamed() throws {
    var bytes = try Self.streamBytes()
    bytes[bytes.count - 1] ^= 1
    #expect(
      throws: ShardError.streamCorrupt(
        offset: bytes.count - 32, detail: "checksum mismatch: the stream was altered in transit")
    ) { _ = try readStream(bytes: bytes, expectedTokenizerSHA256: nil, into: temporaryDirectory()) }
  }

  @Test func tokenizerMismatchIsRejected() throws {
    let other = String(repeating: "0", count: 64)
    #expect(
      throws: ShardError.tokenizerMismatch(
        expected: other, found: Self.header.tokenizerSHA256,
        detail: "the stream was made with another tokenizer.json")
    ) {
      _ = try readStream(
        bytes: Self.streamBytes(), expectedTokenizerSHA256: other, into: temporaryDirectory())
    }
  }
}
