// Posts.xml → pairs end to end through RecordPipeline: K09 (two escaping layers, pairing by
// pm_score), K08 (a control character: fail with line and column, or skip the row with
// --xml-recover), answers listed before their question, spill to disk, and the real dumps.

import Corpus
import Foundation
import Testing

/// Writes `text` to a fresh temp file and returns its path.
func temporaryFile(_ text: String, name: String = "Posts.xml") throws -> String {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("xmltest-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let url = directory.appendingPathComponent(name)
  try Data(text.utf8).write(to: url)
  return url.path
}

/// Converts `paths` with `--format stackexchange` and the given options.
func convertPosts(
  _ paths: [String], _ options: [String: String] = [:], format: String = "stackexchange"
)
  throws -> (records: [PreferenceRecord], accounting: Accounting, rejects: [RejectedRecord])
{
  var pipelineOptions = PipelineOptions()
  pipelineOptions.format = format
  pipelineOptions.formatOptions = FormatOptions(options)
  let pipeline = try RecordPipeline(options: pipelineOptions)
  var rejects: [RejectedRecord] = []
  pipeline.onReject = { rejects.append($0) }
  var records: [PreferenceRecord] = []
  let accounting = try pipeline.run(inputs: paths) { record in
    records.append(record)
    return .written
  }
  return (records, accounting, rejects)
}

/// The shared corpora folder, or nil (tests then skip with a message).
func sharedCorpus(_ relative: String, filePath: String = #filePath) -> String? {
  let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared/corpora").appendingPathComponent(relative)
  guard FileManager.default.fileExists(atPath: url.path) else {
    print("skipping: \(url.path) not found (CI puts ../shared beside the clone)")
    return nil
  }
  return url.path
}

let k09 = """
  <posts>
  <row Id="1" PostTypeId="1" AcceptedAnswerId="3" Score="5" Title="Q" Tags="&lt;swift&gt;&lt;xml&gt;" Body="&lt;p&gt;How do I x?&amp;nbsp;&lt;/p&gt;"/>
  <row Id="2" PostTypeId="2" ParentId="1" Score="1" Body="&lt;p&gt;Use y &amp;amp; z&lt;/p&gt;"/>
  <row Id="3" PostTypeId="2" ParentId="1" Score="7" Body="&lt;pre&gt;&lt;code&gt;a &amp;lt; b&lt;/code&gt;&lt;/pre&gt;"/>
  </posts>
  """

@Suite struct StackExchangeReaderTests {
  @Test func k09TwoEscapingLayersAndThePmScoreRule() throws {
    let path = try temporaryFile(k09)
    let result = try convertPosts([path], ["site": "test.stackexchange.com"])
    #expect(result.records.count == 1)
    let record = try #require(result.records.first)
    #expect(record.prompt == "Q\n\nHow do I x?\u{A0}")
    #expect(record.chosen == "```\na < b\n```")
    #expect(record.rejected == "Use y & z")
    #expect(record.source == "\(path):1")
    #expect(record.meta["chosen_pm_score"] == .int(4))
    #expect(record.meta["rejected_pm_score"] == .int(1))
    #expect(record.meta["tags"] == .array([.string("swift"), .string("xml")]))
    #expect(record.meta["site"] == .string("test.stackexchange.com"))
    #expect(result.accounting.summary == "in 1 = written 1 + dropped 0 + rejected 0")
  }

  @Test func answersBeforeTheirQuestionAndEqualScoresGiveNoPair() throws {
    let text = """
      \u{FEFF}<?xml version="1.0" encoding="utf-8"?>
      <posts>
        <row Id="12" PostTypeId="2" ParentId="10" Score="3" Body="b12" ContentLicense="CC BY-SA 4.0" />
        <row Id="11" PostTypeId="2" ParentId="10" Score="3" Body="b11" />
        <row Id="13" PostTypeId="2" ParentId="10" Score="-2" Body="b13" OwnerDisplayName="Ann" />
        <row Id="14" PostTypeId="2" ParentId="99" Score="1" Body="orphan" />
        <row Id="15" PostTypeId="5" Score="0" Body="wiki" />
        <row Id="10" PostTypeId="1" Score="4" Title="T" Body="q" Tags="|a|b|" />
        <row Id="20" PostTypeId="1" Score="1" Title="Lonely" Body="q2" />
      </posts>
      """
    let result = try convertPosts([try temporaryFile(text)])
    // pm: 12 → 2, 11 → 2 (tie, no pair between them), 13 → −1. Rank: 12 (score 3, id 12)? ids
    // tie-break ascending after score: 11 before 12.
    #expect(result.records.map(\.chosen) == ["b11", "b12"])
    #expect(result.records.map(\.rejected) == ["b13", "b13"])
    #expect(
      result.records[0].meta["authors"]
        == .object([
          (key: "rejected", value: .object([(key: "display_name", value: .string("Ann"))]))
        ]))
    #expect(
      result.records[1].meta["license"]
        == .object([(key: "chosen", value: .string("CC BY-SA 4.0"))]))
    #expect(result.records[0].meta["tags"] == .array([.string("a"), .string("b")]))
    #expect(result.accounting.dropped == [.notAPair: 1, .orphanAnswer: 1, .tooFewAnswers: 1])
    #expect(result.accounting.isBalanced)
  }

  @Test func capAndMinimumGap() throws {
    let rows = (1...4).map {
      #"<row Id="\#($0 + 1)" PostTypeId="2" ParentId="1" Score="\#([0, 1, 3, 15][$0 - 1])" Body="a\#($0 + 1)"/>"#
    }
    let text =
      "<posts>\n<row Id=\"1\" PostTypeId=\"1\" Score=\"1\" Title=\"T\" Body=\"q\"/>\n"
      + rows.joined(separator: "\n") + "\n</posts>\n"
    let path = try temporaryFile(text)
    // pm scores: a2 0, a3 1, a4 2, a5 4 → 6 pairs, best chosen first.
    let all = try convertPosts([path])
    #expect(
      all.records.map { "\($0.chosen)>\($0.rejected)" }
        == ["a5>a4", "a5>a3", "a5>a2", "a4>a3", "a4>a2", "a3>a2"])
    let capped = try convertPosts([path], ["max-pairs-per-question": "2"])
    #expect(capped.records.map { "\($0.chosen)>\($0.rejected)" } == ["a5>a4", "a5>a3"])
    #expect(capped.accounting.dropped == [.unpairedAnswer: 1])
    let gapped = try convertPosts([path], ["min-score-gap": "2"])
    #expect(
      gapped.records.map { "\($0.chosen)>\($0.rejected)" } == ["a5>a4", "a5>a3", "a5>a2", "a4>a2"])
  }

  @Test(arguments: ["&#x1;", "\u{1}", "\u{B}", "\u{1F}", "\u{FFFE}"])
  func k08ForbiddenCharacterFailsWithLineAndColumn(bad: String) throws {
    let text =
      "<posts>\n<row Id=\"1\" PostTypeId=\"1\" Body=\"ok\(bad)x\"/>\n"
      + "<row Id=\"2\" PostTypeId=\"2\" ParentId=\"1\" Body=\"fine\"/>\n</posts>\n"
    let path = try temporaryFile(text)
    let error = #expect(throws: CorpusError.self) { try convertPosts([path]) }
    guard case .malformedXML(let at, _, _) = error else {
      Issue.record("expected malformedXML, got \(String(describing: error))")
      return
    }
    #expect(at.path == path)
    #expect(at.line == 2)
    #expect(at.column != nil)
  }

  @Test func k08RecoverSkipsTheBrokenRowAndKeepsTheNext() throws {
    let text =
      "<posts>\n<row Id=\"1\" PostTypeId=\"1\" Score=\"1\" Body=\"ok&#x1;x\"/>\n"
      + "<row Id=\"3\" PostTypeId=\"1\" Score=\"1\" Title=\"T\" Body=\"q\"/>\n"
      + "<row Id=\"4\" PostTypeId=\"2\" ParentId=\"3\" Score=\"5\" Body=\"good\"/>\n"
      + "<row Id=\"5\" PostTypeId=\"2\" ParentId=\"3\" Score=\"0\" Body=\"meh\u{1}\"/>\n"
      + "<row Id=\"6\" PostTypeId=\"2\" ParentId=\"3\" Score=\"-1\" Body=\"bad\"/>\n</posts>\n"
    let path = try temporaryFile(text)
    let result = try convertPosts([path], ["xml-recover": "true"])
    #expect(result.records.map { "\($0.chosen)>\($0.rejected)" } == ["good>bad"])
    #expect(result.accounting.rejected == [.malformedXML: 2])
    #expect(result.rejects.map(\.source) == ["\(path):2", "\(path):5"])
    #expect(result.accounting.isBalanced)
  }

  @Test func spillingToDiskGivesTheSameRecords() throws {
    guard let path = sharedCorpus("stackexchange-french-meta/Posts.xml") else { return }
    let inMemory = try convertPosts([path])
    let spilled = try convertPosts([path], ["xml-memory-limit": "0"])
    #expect(inMemory.records == spilled.records)
    #expect(inMemory.accounting == spilled.accounting)
  }

  @Test(arguments: [
    // Pair counts agree with Benchmarks/xml/reference.py (lxml + the same rule): 423 and 182.
    ("stackexchange-french-meta/Posts.xml", 423, "70488a17c248bec0"),
    ("stackexchange-datascience-meta-2024/Posts.xml", 182, "fe37560c11692f5d"),
  ])
  func realDumpsConvert(relative: String, pairs: Int, firstID: String) throws {
    guard let path = sharedCorpus(relative) else { return }
    let result = try convertPosts([path], format: "auto")
    #expect(result.accounting.isBalanced)
    #expect(result.accounting.rejectedTotal == 0)
    #expect(result.records.count == pairs)
    #expect(result.records.first?.id == firstID)
  }

  @Test func exactPairFromThe2024Dump() throws {
    guard let path = sharedCorpus("stackexchange-datascience-meta-2024/Posts.xml") else { return }
    let first = try #require(try convertPosts([path]).records.first)
    #expect(first.source == "\(path):3")
    #expect(first.meta["question_id"] == .int(3))
    #expect(first.meta["chosen_id"] == .int(18))
    #expect(first.meta["rejected_id"] == .int(4))
    #expect(first.meta["license"]?["chosen"] == .string("CC BY-SA 3.0"))
    #expect(first.meta["authors"]?["chosen"]?["user_id"] == .int(61))
    #expect(
      first.prompt.hasPrefix(
        "What is the point of the [data-science] tag?\n\nWhy do we have a [data-science](https://datascience.stackexchange.com/questions/tagged/data-science) tag?"
      ))
    #expect(
      first.chosen
        == "Yeah, that tag is worthless - I've removed and blacklisted it.\n\n[datascience](https://datascience.stackexchange.com/questions/tagged/datascience) was already blocked by default."
    )
    #expect(
      first.rejected == "The tag is obviously redundant. But this is typical for all SE sites.")
  }

  @Test func blockQuoteAndListInThe2022Dump() throws {
    guard let path = sharedCorpus("stackexchange-french-meta/Posts.xml") else { return }
    let first = try #require(try convertPosts([path]).records.first)
    #expect(first.meta["chosen_id"] == .int(7))
    #expect(
      first.chosen.contains(
        "\n\n> Tricky translations (eg. idioms needing paraphrasing), to French"))
    #expect(
      first.rejected.contains(
        "\n- Do not allow questions asking for translations from French into English"))
  }

  @Test func duplicateIdsAreRejectedNotFatal() throws {
    let text = """
      <posts>
      <row Id="1" PostTypeId="1" Score="1" Title="T" Body="q"/>
      <row Id="2" PostTypeId="2" ParentId="1" Score="5" Body="a"/>
      <row Id="2" PostTypeId="2" ParentId="1" Score="0" Body="again"/>
      <row Id="3" PostTypeId="2" ParentId="1" Score="0" Body="b"/>
      </posts>
      """
    let path = try temporaryFile(text)
    let result = try convertPosts([path])
    #expect(result.records.map { "\($0.chosen)>\($0.rejected)" } == ["a>b"])
    #expect(result.rejects.map(\.message) == ["\(path):4: duplicate post Id 2 (first on line 3)"])
  }

  /// A dump cut off inside a row: with --xml-recover the complete rows are kept and the cut is
  /// one counted malformed-xml rejection naming the truncation (in = written + dropped + rejected).
  @Test func truncatedDumpWithRecoverKeepsRowsAndRejectsTheCut() throws {
    let path = try temporaryFile(String(decoding: Array(k09.utf8.prefix(300)), as: UTF8.self))
    #expect(throws: CorpusError.self) { try convertPosts([path]) }
    let result = try convertPosts([path], ["xml-recover": "true"])
    #expect(
      result.accounting.summary
        == "in 3 = written 0 + dropped 2 (too-few-answers 2) + rejected 1 (malformed-xml 1)")
    #expect(
      result.rejects.map(\.message) == [
        "\(path):4: line 4, column 47: the file ends early, inside the <row …> on line 4 "
          + "(after 300 bytes): truncated download? check its size against the dump's listing"
      ])
  }
}
