// Stages S1 (decompress) and S2 (JSONL) of ../shared/KNOWN-FAULTS.md, each with its minimal input
// and expected value: K01 multi-frame zstd, K02 truncated zstd, K03 multi-member gzip, K04 BOM,
// K05 NaN/Infinity, K06 duplicate keys, K07 a very long line.

import Corpus
import Testing

@Suite struct KnownFaultsTests {
  @Test func k01EveryZstdFrameIsDecoded() throws {
    let frames =
      try zstdCompress(Array("{\"a\":1}\n".utf8)) + zstdCompress(Array("{\"a\":2}\n".utf8))
    let opened = try InputOpener.open(MemorySource(frames))
    #expect(try drain(opened.source) == Array("{\"a\":1}\n{\"a\":2}\n".utf8))
  }

  @Test func k02TruncatedZstdIsAnErrorNamingTheFile() throws {
    var text = ""
    for n in 1...2000 { text += "{\"n\":\(n)}\n" }
    let compressed = try zstdCompress(Array(text.utf8))
    let half = Array(compressed[0..<(compressed.count / 2)])
    let error = #expect(throws: CorpusError.self) {
      _ = try convert(half, name: "big.zst", format: "trl")
    }
    #expect(
      error
        == .corruptCompressedStream(
          InputLocation(path: "big.zst", byteOffset: half.count), codec: "zstd",
          detail: "unexpected end of zstd frame (truncated file?); the frame starts at byte 0"))
  }

  @Test func k03EveryGzipMemberIsRead() throws {
    let members =
      try gzipCompress(Array("{\"a\":1}\n".utf8)) + gzipCompress(Array("{\"a\":2}\n".utf8))
    let opened = try InputOpener.open(MemorySource(members))
    #expect(try drain(opened.source) == Array("{\"a\":1}\n{\"a\":2}\n".utf8))
  }

  static let k04Body =
    #"{"prompt":"p","chosen":"c","rejected":"r","meta":{"x":1}}"# + "\n"
    + #"{"prompt":"q","chosen":"d","rejected":"s","meta":{"y":2}}"# + "\n"

  @Test func k04LeadingBOMGivesTheSameRecords() throws {
    let plain = try convert(Array(Self.k04Body.utf8), format: "trl")
    let withBOM = try convert([0xEF, 0xBB, 0xBF] + Array(Self.k04Body.utf8), format: "trl")
    #expect(withBOM.output == plain.output)
    #expect(withBOM.accounting.written == 2)
    let first = try records(withBOM)[0]
    #expect(first["prompt"]?.stringValue == "p")
    #expect(first["meta"] == .object([(key: "meta", value: .object([(key: "x", value: .int(1))]))]))
  }

  @Test func k04BOMInsideTheFileIsRejectedWithItsLine() throws {
    let text = Array(Self.k04Body.utf8) + [0xEF, 0xBB, 0xBF] + Array(Self.k04Body.utf8)
    let result = try convert(text, format: "trl")
    #expect(result.accounting.written == 3)
    #expect(result.accounting.rejected == [.strayBOM: 1])
    #expect(result.rejects.map(\.source) == ["t.jsonl:3"])
  }

  @Test func k05NaNAndInfinityRejectTheRecordAndIngestContinues() throws {
    let text =
      #"{"prompt":"p","chosen":"c","rejected":"r","score_chosen":NaN,"score_rejected":-Infinity}"#
      + "\n" + #"{"prompt":"p","chosen":"c","rejected":"r"}"# + "\n"
    let result = try convert(text, format: "trl")
    #expect(result.accounting.written == 1)
    #expect(result.accounting.rejected == [.nonFiniteNumber: 1])
    #expect(result.rejects.first?.message.hasPrefix("t.jsonl:1:58: invalid JSON") == true)
  }

  @Test func k06DuplicateKeysRejectTheRecord() throws {
    let text =
      #"{"prompt":"p","chosen":"good answer","rejected":"bad answer","chosen":"bad answer"}"#
    let result = try convert(text, format: "trl")
    #expect(result.accounting.written == 0)
    #expect(result.accounting.rejected == [.duplicateKey: 1])
  }

  @Test func k07AVeryLongLineIsReadIntactAndLaterLinesStillParse() throws {
    // 1 MiB here (the unit-test budget); scripts/test.d/ingest-long-line.sh runs the 64 MiB case
    // on the release build.
    let long = String(repeating: "a", count: 1 << 20)
    for lastWithoutNewline in [false, true] {
      var text = #"{"prompt":"p","chosen":"c1","rejected":"r1"}"# + "\n"
      text += #"{"prompt":"p","chosen":""# + long + #"","rejected":"r"}"# + "\n"
      text += #"{"prompt":"p","chosen":"c3","rejected":"r3"}"# + (lastWithoutNewline ? "" : "\n")
      if lastWithoutNewline {  // long line last, without newline
        text =
          #"{"prompt":"p","chosen":"c1","rejected":"r1"}"# + "\n"
          + #"{"prompt":"p","chosen":""# + long + #"","rejected":"r"}"#
      }
      let result = try convert(text, format: "trl")
      let out = try records(result)
      #expect(result.accounting.written == (lastWithoutNewline ? 2 : 3))
      #expect(out[1]["chosen"]?.stringValue?.utf8.count == 1 << 20)
    }
  }
}
