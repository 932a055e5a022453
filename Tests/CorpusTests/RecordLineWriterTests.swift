// The byte-level fast path (RecordLineWriter + FlatRecordScanner) against the general path, its
// reference: identical output bytes and accounting on every fixture, on the real corpora, and on
// lines built to hit each fast-path rule (canonical and other escapes, numbers, literals, nesting,
// duplicates, invalid UTF-8, non-ASCII whitespace).

import Testing

@testable import Corpus

@Suite struct RecordLineWriterTests {
  /// (general output, fast output, general totals, fast totals) for the same input.
  func bothPaths(_ bytes: [UInt8], format: String, options: [String: String] = [:]) throws -> (
    [UInt8], [UInt8], Accounting, Accounting
  ) {
    var pipelineOptions = PipelineOptions()
    pipelineOptions.format = format
    pipelineOptions.formatOptions = FormatOptions(options)
    let general = try RecordPipeline(options: pipelineOptions)
    var generalOut: [UInt8] = []
    try general.run(try InputOpener.open(MemorySource(bytes, name: "f"))) { record in
      record.appendJSONLine(to: &generalOut)
      return .written
    }
    let fast = try RecordPipeline(options: pipelineOptions)
    var fastOut: [UInt8] = []
    try fast.runWritingLines(try InputOpener.open(MemorySource(bytes, name: "f"))) {
      fastOut.append(contentsOf: $0)
    }
    return (generalOut, fastOut, general.accounting, fast.accounting)
  }

  @Test(arguments: FixtureCase.all().filter { $0.expectation["error"] == nil })
  func fixturesGiveTheSameBytes(_ fixtureCase: FixtureCase) throws {
    let bytes = try readBytes(fixture("\(fixtureCase.directory)/\(fixtureCase.file)"))
    let (a, b, ta, tb) = try bothPaths(
      bytes, format: fixtureCase.format, options: fixtureCase.formatOptions)
    #expect(a == b)
    #expect(ta == tb)
  }

  @Test func realCorporaGiveTheSameBytes() throws {
    guard let hh = sharedCorpus("hh-rlhf/harmless-base/test.jsonl.gz") else { return }
    let (a, b, ta, tb) = try bothPaths(try readBytes(hh), format: "hh-rlhf")
    #expect(a == b && ta == tb && ta.written == 2308)
    if let v1 = sharedCorpus("llama-factory-demo/v1_dpo_demo.jsonl") {
      let (c, d, _, _) = try bothPaths(try readBytes(v1), format: "auto")
      #expect(c == d)
    }
  }

  @Test func handBuiltLinesGiveTheSameBytesAndCounts() throws {
    let lines = [
      #"{"prompt":"p","chosen":"a\"b\\c\n\t\r\b\f","rejected":"x"}"#,
      #"{"prompt":"p","chosen":"ctl \u0001 \u001f","rejected":"x"}"#,
      #"{"prompt":"p","chosen":"upper \u001F","rejected":"x"}"#,
      #"{"prompt":"p","chosen":"e \u00e9 \/","rejected":"x"}"#,
      #"{"prompt":"p","chosen":"emoji \ud83e\udd17","rejected":"x"}"#,
      #"{"prompt":"p","chosen":"c","rejected":"r","n":-0.5e+3,"t":true,"f":false,"z":null,"i":0}"#,
      #"{"prompt":"p","chosen":"c","rejected":"r","nested":{"a":[1,2]}}"#,
      #"{"prompt":"p","chosen":"c","rejected":"r","bad":01}"#,
      #"{"prompt":"p","chosen":"c","rejected":"r","chosen":"d"}"#,
      #"{ "prompt" : "p" , "chosen" : "c" , "rejected" : "r" }  "#,
      #"{"prompt":"p","chosen":"\u00a0","rejected":"r"}"#,
      "{\"prompt\":\"p\",\"chosen\":\"\u{2003}\",\"rejected\":\"r\"}",
      #"{"prompt":"p","chosen":" \n ","rejected":"r"}"#,
      #"{"prompt":"p","chosen":"same","rejected":"same"}"#,
      #"{"prompt":"p","chosen":"\u000b\t \f","rejected":"r"}"#,
      #"{"prompt":"p","chosen":" \u001b","rejected":"r"}"#,
      #"{"prompt":"p","chosen":"\b","rejected":"r"}"#,
      #"{"prompt":"p\\","chosen":"c","rejected":"c\u0001"}"#,
      #"{"prompt":"p","chosen":"c","rejected":"r"} x"#,
      #"{"prompt":"p","chosen":"c","rejected":"r""#,
      #"{"prompt":"p","chosen":"c","rejected":"r","k\u0041":1}"#,
      #"{"prompt":3,"chosen":"c","rejected":"r"}"#,
      #"{"chosen":"The sky is blue.","rejected":"The sky is green."}"#,
      #"{"prompt":"p","chosen":"c","rejected":"r","x":NaN}"#,
      // Non-ASCII first characters: whitespace or not is decided on the fast path too.
      #"{"prompt":"p","chosen":"“quoted” a","rejected":"🤗 b"}"#,
      "{\"prompt\":\"p\",\"chosen\":\"\u{3000}\u{85}\u{a0}\u{2028}\",\"rejected\":\"r\"}",
      "{\"prompt\":\"p\",\"chosen\":\"\u{3000}x\",\"rejected\":\"\u{200B}\"}",
      "{\"prompt\":\"p\",\"chosen\":\"\u{a0}\\n\u{1680}\",\"rejected\":\"r\"}",
    ]
    var bytes = Array(lines.joined(separator: "\n").utf8)
    bytes +=
      [0x0A] + Array(#"{"prompt":"p","chosen":"bad "#.utf8) + [0xC3, 0x28]
      + Array(#"","rejected":"r"}"#.utf8)
    let (a, b, ta, tb) = try bothPaths(bytes, format: "trl")
    #expect(String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self))
    #expect(ta == tb)
    #expect(ta.read == lines.count + 1)

    let h = "\\n\\nHuman: q\\n\\nAssistant:"
    let hh = [
      "{\"chosen\":\"\(h) a\",\"rejected\":\"\(h) b\"}",
      "{\"chosen\":\"\(h)\",\"rejected\":\"\(h) b\"}",
      "{\"chosen\":\"\\n\\nHuman: x\(h) a\",\"rejected\":\"\\n\\nHuman: y\(h) a\"}",
      "{\"chosen\":\"\(h) a\",\"rejected\":\"\(h) b\",\"extra\":\"kept\"}",
    ]
    let (c, d, tc, td) = try bothPaths(Array(hh.joined(separator: "\n").utf8), format: "hh-rlhf")
    #expect(c == d)
    #expect(tc == td)
    #expect(tc.written == 2)
  }

  /// More output than one fast-path batch (RecordPipeline.fastBatchBytes), with general-path
  /// records (nested meta), drops and rejects in between: batches flush mid-input and before
  /// every general record, and the bytes stay those of the general path.
  @Test func batchesFlushInOrderAcrossGeneralRecords() throws {
    var lines: [String] = []
    let filler = String(repeating: #"words and \"quotes\" café "#, count: 20)
    var n = 0
    while lines.count * 600 < 2 * RecordPipeline.fastBatchBytes + 50_000 {
      n += 1
      // General-path records are rare, so that a batch fills up between two of them.
      switch n % 97 {
      case _ where n == 2000:  // written by the general path (nested meta)
        lines.append(#"{"prompt":"p\#(n)","chosen":"c","rejected":"r","m":{"k":[\#(n)]}}"#)
      case _ where n == 100:  // rejected by the general path
        lines.append(#"{"prompt":"p\#(n)","chosen":"c","rejected":"r"} trailing"#)
      case 13: lines.append(#"{"prompt":"p\#(n)","chosen":"same","rejected":"same"}"#)
      default:
        lines.append(#"{"prompt":"n\#(n) \#(filler)","chosen":"yes \#(n)","rejected":"no\n\#(n)"}"#)
      }
    }
    let bytes = Array(lines.joined(separator: "\n").utf8)
    let (a, b, ta, tb) = try bothPaths(bytes, format: "trl")
    #expect(a == b)
    #expect(ta == tb)
    #expect(ta.written > 3000 && ta.rejectedTotal > 0 && ta.droppedTotal > 0)
    var options = PipelineOptions()
    options.format = "trl"
    let fast = try RecordPipeline(options: options)
    var chunks: [Int] = []
    try fast.runWritingLines(try InputOpener.open(MemorySource(bytes))) { chunks.append($0.count) }
    // Flushed before the reject, full batches, before and after the general record, at the end.
    #expect(chunks.count >= 5 && chunks.count < 10)
    #expect(chunks.filter { $0 >= RecordPipeline.fastBatchBytes }.count >= 1)
  }

  /// The fast whitespace test against Unicode.Scalar.properties.isWhitespace (the general path's
  /// rule) on every scalar below U+3100 and a stride through the rest.
  @Test func whitespaceScalarLengthMatchesUnicode() {
    var values = Array(0..<0x3100)
    values += Array(stride(from: 0x3100, through: 0x10FFFF, by: 97))
    for value in values {
      guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }  // surrogates
      let bytes = Array(String(Character(scalar)).utf8) + [0x41]
      let length = bytes.withUnsafeBytes {
        FlatRecordScanner.whitespaceScalarLength($0.baseAddress!, $0.count)
      }
      #expect(length == (scalar.properties.isWhitespace ? bytes.count - 1 : nil), "U+\(value)")
    }
  }

  @Test func appendBytesEqualsAppendContentsOf() {
    let source = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    for count in [0, 1, 15, 16, 17, 300] {
      var a: [UInt8] = [9]
      var b: [UInt8] = [9]
      source.withUnsafeBytes { raw in
        a.appendBytes(raw.baseAddress!, count: count)
        a.appendBytes(UnsafeRawBufferPointer(rebasing: raw[..<count]))
        b.append(contentsOf: source[..<count])
        b.append(contentsOf: source[..<count])
      }
      a.appendBytes(#","meta":{"#)
      b.append(contentsOf: #","meta":{"#.utf8)
      #expect(a == b)
    }
  }

  @Test func utf8CheckMatchesTheStdlib() {
    var seed: UInt64 = 7
    for length in 0..<200 {
      var bytes: [UInt8] = []
      for _ in 0..<length {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let r = Int(seed >> 33)
        // Mostly ASCII with lead and continuation bytes mixed in.
        bytes.append(r % 5 == 0 ? UInt8(truncatingIfNeeded: 0x80 + r % 0x78) : UInt8(0x41 + r % 26))
      }
      let ours = bytes.withUnsafeBytes {
        UTF8Check.isValid($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, $0.count)
      }
      #expect(ours == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
    }
  }
}
