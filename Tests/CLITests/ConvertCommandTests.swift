// `rmprep convert` end to end on Fixtures/: help, usage errors (64), stdin to stdout, the summary
// line, --rejects/--stats files, --max-reject-rate (exit 1, no output left), compressed outputs by
// name, atomic outputs on failure, and byte-identical output across runs.

import Foundation
import Testing

/// The package root (for Fixtures/).
private func root(filePath: String = #filePath) -> URL {
  URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
}

private func fixturePath(_ name: String) -> String {
  root().appendingPathComponent("Fixtures/\(name)").path
}

/// A fresh temporary directory for one test (also used by ConvertSignalsTests).
func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "convert-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite struct ConvertCommandTests {
  @Test func helpListsFormatsAndExitStatus() throws {
    let r = try runTool("rmprep", ["convert", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("OVERVIEW: "))
    for word in [
      "USAGE:", "ARGUMENTS:", "OPTIONS:", "EXIT STATUS:", "hh-rlhf", "--max-reject-rate",
    ] {
      #expect(r.stdout.contains(word))
    }
    #expect(r.stderr.isEmpty)
  }

  @Test(arguments: [
    (["convert"], "rmprep: error: convert needs at least one input ('-' for stdin)"),
    (
      ["convert", "x.jsonl", "--format", "csv"],
      "rmprep: error: unknown format 'csv': expected auto,"
    ),
    (["convert", "x.jsonl", "--bogus"], "rmprep: error: unknown option '--bogus'"),
    (
      ["convert", "x.jsonl", "--threads", "2"],
      "rmprep: error: '--threads' applies to token shards only: add --targets KIND"
    ),
    (["convert", "x", "--format", "generic"], "rmprep: error: format 'generic' needs --map"),
  ])
  func usageErrorsExit64(arguments: [String], message: String) throws {
    let r = try runTool("rmprep", arguments)
    #expect(r.status == 64)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.hasPrefix(message))
    #expect(r.stderr.hasSuffix("See 'rmprep --help'.\n"))
  }

  @Test func stdinToStdoutWithSummaryOnStderr() throws {
    let input = Data(#"{"prompt":"Hi","chosen":" A","rejected":" B"}"#.utf8)
    let r = try runTool("rmprep", ["convert", "-", "--format", "trl", "-o", "-"], stdin: input)
    #expect(r.status == 0)
    #expect(
      r.stdout
        // id: python3 hashlib over the canonical encoding (same triple as RecordIDTests).
        == #"{"id":"526f40ed05317987","source":"<stdin>:1","prompt":"Hi","chosen":" A","rejected":" B","meta":{}}"#
        + "\n")
    #expect(r.stderr.hasPrefix("rmprep convert: in 1 = written 1 + dropped 0 + rejected 0; "))
  }

  @Test func rejectsAndStatsFilesAndTheRejectRateLimit() throws {
    let dir = try temporaryDirectory()
    let out = dir.appendingPathComponent("out.jsonl").path
    let rejects = dir.appendingPathComponent("rejects.jsonl").path
    let stats = dir.appendingPathComponent("stats.json").path
    let broken = fixturePath("jsonl/broken.jsonl")
    let failed = try runTool(
      "rmprep",
      ["convert", broken, "--format", "trl", "-o", out, "--rejects", rejects, "--stats", stats])
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("reject rate 83.33% exceeds --max-reject-rate 1%"))
    #expect(!FileManager.default.fileExists(atPath: out))
    let rejectLines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
    #expect(rejectLines.count == 10)
    #expect(rejectLines[0].contains(#""reason":"invalid-utf8""#))
    #expect(rejectLines[0].contains(#""raw_base64":"#))
    let statsText = try String(contentsOfFile: stats, encoding: .utf8)
    #expect(statsText.contains(#""in": 12"#) && statsText.contains(#""duplicate-key": 1"#))

    let passed = try runTool(
      "rmprep", ["convert", broken, "--format", "trl", "-o", out, "--max-reject-rate", "0.9"])
    #expect(passed.status == 0)
    #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 2)
  }

  @Test func compressedOutputsAreByteIdenticalAcrossRunsAndReadBack() throws {
    let dir = try temporaryDirectory()
    let input = fixturePath("hh-rlhf/pairs.jsonl.gz")
    var outputs: [Data] = []
    for name in ["a.jsonl.zst", "b.jsonl.zst", "c.jsonl.gz", "d.jsonl"] {
      let path = dir.appendingPathComponent(name).path
      let r = try runTool("rmprep", ["convert", input, "-o", path])
      #expect(r.status == 0)
      outputs.append(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
    #expect(outputs[0] == outputs[1])
    #expect(outputs[0].prefix(4) == Data([0x28, 0xB5, 0x2F, 0xFD]))
    #expect(outputs[2].prefix(2) == Data([0x1F, 0x8B]))
    // Reading our compressed outputs back (format trl: the records have an explicit prompt).
    for name in ["a.jsonl.zst", "c.jsonl.gz"] {
      let r = try runTool(
        "rmprep", ["convert", dir.appendingPathComponent(name).path, "--format", "trl", "-o", "-"])
      #expect(r.status == 0)
      #expect(r.stdout.split(separator: "\n").count == 6)
    }
    #expect(String(decoding: outputs[3], as: UTF8.self).split(separator: "\n").count == 6)
  }

  @Test func aTruncatedInputLeavesNoOutputFile() throws {
    let dir = try temporaryDirectory()
    let out = dir.appendingPathComponent("out.jsonl").path
    let r = try runTool(
      "rmprep", ["convert", fixturePath("containers/truncated.jsonl.zst"), "-o", out])
    #expect(r.status == 1)
    #expect(r.stderr.contains("truncated.jsonl.zst @ byte "))
    #expect(r.stderr.contains("unexpected end of zstd frame"))
    let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(left.isEmpty)
  }

  /// The two repros of a cut-off Posts.xml: the first 300 bytes (inside a row) with --xml-recover
  /// not given: exit 1 naming the cut (never "Extra content"); the file without `</posts>` with
  /// --xml-recover: the rows are kept and the cut is one counted rejection.
  @Test func aTruncatedPostsXMLIsNamedAsSuch() throws {
    let k09 = try Data(contentsOf: URL(fileURLWithPath: fixturePath("stackexchange/k09.xml")))
    let cut = try runTool(
      "rmprep", ["convert", "-", "--format", "stackexchange", "-o", "-"], stdin: k09.prefix(300))
    #expect(cut.status == 1)
    #expect(
      cut.stderr
        == "rmprep: error: <stdin>:4:47 @ byte 300: the file ends early, inside the <row …> on "
        + "line 4: truncated download? check its size against the dump's listing, or pass "
        + "--xml-recover to keep the rows before the cut\n")
    let open = Data(
      String(decoding: k09, as: UTF8.self).replacingOccurrences(of: "</posts>\n", with: "").utf8)
    let recover = try runTool(
      "rmprep",
      [
        "convert", "-", "--format", "stackexchange", "--xml-recover", "--max-reject-rate", "1",
        "-o", "-",
      ], stdin: open)
    #expect(recover.status == 0)
    #expect(
      recover.stderr.hasPrefix(
        "rmprep convert: in 2 = written 1 + dropped 0 + rejected 1 (malformed-xml 1); "))
  }
}
