// RecordPipeline: the accounting identity with caller drops, skip/limit, auto-detection per input,
// unknown formats, rejects keeping raw bytes, and deterministic output.

import Corpus
import Testing

@Suite struct RecordPipelineTests {
  static let three =
    #"{"prompt":"a","chosen":" x","rejected":" y"}"# + "\n"
    + #"{"prompt":"b","chosen":" x","rejected":" y"}"# + "\n"
    + #"{"prompt":"c","chosen":" x","rejected":" y"}"# + "\n"

  @Test func callerDropsAreCountedByReason() throws {
    let pipeline = try RecordPipeline(options: PipelineOptions())
    var seen: [String] = []
    try pipeline.run(try InputOpener.open(MemorySource(Array(Self.three.utf8), name: "m"))) {
      record in
      seen.append(record.source)
      return record.prompt == "b" ? .dropped(.identicalAfterTruncation) : .written
    }
    #expect(seen == ["m:1", "m:2", "m:3"])
    #expect(pipeline.accounting.written == 2)
    #expect(pipeline.accounting.dropped == [.identicalAfterTruncation: 1])
    #expect(pipeline.accounting.isBalanced)
    #expect(pipeline.perInput.map(\.format) == ["trl"])
  }

  @Test func skipAndLimitSelectInputRecords() throws {
    var options = PipelineOptions()
    options.skip = 1
    options.limit = 1
    let pipeline = try RecordPipeline(options: options)
    var prompts: [String] = []
    try pipeline.run(try InputOpener.open(MemorySource(Array(Self.three.utf8)))) {
      prompts.append($0.prompt)
      return .written
    }
    #expect(prompts == ["b"])
    #expect(pipeline.accounting.read == 1)
  }

  @Test func autoDetectsEachFormat() throws {
    let cases: [(String, String)] = [
      (
        #"{"chosen":"\n\nHuman: a\n\nAssistant: b","rejected":"\n\nHuman: a\n\nAssistant: c"}"#,
        "hh-rlhf"
      ),
      (
        #"{"prompt":"p","response_0":"a","response_1":"b","better_response_id":0,"safer_response_id":1}"#,
        "pku-saferlhf"
      ),
      (#"{"history":"h","human_ref_A":"a","human_ref_B":"b","labels":1}"#, "shp"),
      (#"{"prompt":"p","response_1":"a","response_2":"b","preference_strength":2}"#, "helpsteer2"),
      (
        #"{"conversations":[{"from":"human","value":"q"}],"chosen":{"from":"gpt","value":"a"},"rejected":{"from":"gpt","value":"b"}}"#,
        "sharegpt-dpo"
      ),
      (
        #"{"info":{"post":"p"},"summaries":[{"text":"a"},{"text":"b"}],"choice":0}"#,
        "tldr-comparisons"
      ),
      (#"{"instruction":"i","completions":[]}"#, "ultrafeedback"),
      (#"{"prompt":"p","chosen":"a","rejected":"b"}"#, "trl"),
    ]
    for (line, format) in cases {
      let pipeline = try RecordPipeline(options: PipelineOptions())
      try pipeline.run(try InputOpener.open(MemorySource(Array(line.utf8)))) { _ in .written }
      #expect(pipeline.perInput.first?.format == format, "\(line)")
    }
  }

  @Test func unknownShapesFailWithAHint() throws {
    let error = #expect(throws: CorpusError.self) {
      _ = try convert(#"{"text":"hello"}"#)
    }
    #expect(
      error
        == .unknownFormat(
          path: "t.jsonl",
          detail: "line 1: a record with keys [text] matches no format; pass --format"))
  }

  @Test func unknownFormatNamesAndBadOptionsAreOptionErrors() {
    var options = PipelineOptions()
    options.format = "nope"
    #expect(throws: FormatOptionError.self) { _ = try RecordPipeline(options: options) }
    options.format = "pku-saferlhf"
    options.formatOptions = FormatOptions(["prefer": "kinder"])
    #expect(throws: FormatOptionError.self) { _ = try RecordPipeline(options: options) }
    options.format = "generic"
    options.formatOptions = FormatOptions()
    #expect(throws: FormatOptionError.self) { _ = try RecordPipeline(options: options) }
  }

  @Test func rejectsKeepTheRawLineAndTheLocatedMessage() throws {
    let result = try convert(
      "{\"prompt\":\"p\",\"chosen\":1,\"rejected\":\"r\"}\n{oops\n", format: "trl")
    #expect(result.rejects.map(\.reason) == [.wrongType, .invalidJSON])
    #expect(result.rejects[1].raw == Array("{oops".utf8))
    #expect(result.rejects[1].message == "t.jsonl:2:2: invalid JSON: expected a string key")
    #expect(
      result.rejects[0].message == "t.jsonl:1: field 'chosen' is not a string or a list of messages"
    )
  }

  @Test func outputIsDeterministicAndRecordsMatchTheirJSONValue() throws {
    let a = try convert(Self.three, format: "trl")
    let b = try convert(Self.three, format: "trl")
    #expect(a.output == b.output)
    let record = PreferenceRecord(
      source: "s:1", prompt: "p\"", chosen: "c\n", rejected: "r",
      meta: .object([(key: "k", value: .int(1))]))
    var line: [UInt8] = []
    record.appendJSONLine(to: &line)
    #expect(line == JSONWriter.bytes(record.jsonValue) + [0x0A])
  }

  @Test func accountingSummaryAndStats() throws {
    var totals = Accounting()
    totals.read = 5
    totals.written = 2
    totals.drop(.identicalPair)
    totals.reject(.invalidJSON)
    totals.reject(.duplicateKey)
    #expect(totals.isBalanced)
    #expect(
      totals.summary
        == "in 5 = written 2 + dropped 1 (identical-pair 1) + rejected 2 (duplicate-key 1, invalid-json 1)"
    )
    let stats = totals.statsJSON(inputs: ["a"], format: "trl", seconds: 0)
    #expect(stats["records"]?["in"] == .int(5))
    #expect(stats["rejected"]?["invalid-json"] == .int(1))
  }
}

@Suite struct SchemaSyncTests {
  /// Schemas/stats.schema.json lists exactly the reason enums' names.
  @Test func statsSchemaListsEveryReason() throws {
    let schema = try JSONParser.parse(
      try readBytes(packageRoot().appendingPathComponent("Schemas/stats.schema.json").path))
    let drops = schema["$defs"]?["dropReason"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
    let rejects =
      schema["$defs"]?["rejectReason"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
    #expect(drops == DropReason.allCases.map(\.rawValue).sorted())
    #expect(rejects == RejectReason.allCases.map(\.rawValue).sorted())
  }
}
