// Messages a new user met on a clean clone: each says what is wrong with the path actually given
// (missing, a file, a directory, not a tokenizer) and what to do, with the right exit status.

import Foundation
import Testing

@Suite struct ErrorMessagesTests {
  let directory: URL
  let corpus: String

  init() throws {
    directory = try temporaryDirectory()
    corpus = directory.appendingPathComponent("c.jsonl").path
    try Data(
      """
      {"prompt":"Q1?","chosen":" yes","rejected":" no"}
      {"prompt":"Q2?","chosen":" sure","rejected":" nope"}

      """.utf8
    ).write(to: URL(fileURLWithPath: corpus))
  }

  func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

  @Test func shardCommandsSayWhenThePathIsMissingOrAFile() throws {
    let missing = path("nosuchdir")
    let verify = try runTool("rmprep", ["verify", missing])
    #expect(verify.status == 1)
    #expect(
      (verify.stdout + verify.stderr).contains(
        "\(missing): does not exist; give the shard directory rmprep convert wrote"))
    let inspect = try runTool("rmprep", ["inspect", corpus])
    #expect(inspect.status == 1)
    #expect(
      inspect.stderr
        == "rmprep: error: \(corpus): is a file, not a shard directory; give the directory rmprep"
        + " convert -o DIR wrote\n")
    let train = try runTool("rmtrain", ["sft", "--data", missing, "-o", path("run")])
    #expect(train.status == 1)
    #expect(
      train.stderr
        == "rmtrain: error: \(missing): does not exist; give the shard directory rmprep convert"
        + " wrote\n")
  }

  @Test func convertOutputErrorsNameTheOutputItself() throws {
    let adir = path("adir")
    try FileManager.default.createDirectory(atPath: adir, withIntermediateDirectories: true)
    let r = try runTool("rmprep", ["convert", corpus, "--format", "trl", "-o", adir])
    #expect(r.status == 1)
    #expect(
      r.stderr.hasSuffix(
        "rmprep: error: \(adir): is a directory, but the output must be a file; give a file name"
          + " (e.g. '\(adir)/out.jsonl')\n"))
    let nowhere = "/nonexistent-\(getpid())/x.jsonl"
    let n = try runTool("rmprep", ["convert", corpus, "--format", "trl", "-o", nowhere])
    #expect(n.status == 1)
    #expect(
      n.stderr.hasSuffix(
        "rmprep: error: \(nowhere): cannot create: its directory does not exist; create it first"
          + " or choose another output path\n"))
  }

  @Test func aRecordFileIsNotATokenizer() throws {
    let r = try runTool("rmprep", ["tokenizer", "encode", "--tokenizer", corpus, "--text", "hi"])
    #expect(r.status == 1)
    #expect(r.stderr.hasPrefix("rmprep: error: \(corpus): not a tokenizer.json ("))
    #expect(
      r.stderr.hasSuffix(
        "; give the tokenizer.json that 'rmprep tokenizer train' wrote (or a .tiktoken file)\n"))
  }

  @Test(arguments: [
    ("rmprep", "convert"), ("rmprep", "tokenizer"), ("rmtrain", "sft"), ("rmppo", "train"),
  ])
  func subcommandVersionPrintsTheVersion(tool: String, subcommand: String) throws {
    let r = try runTool(tool, [subcommand, "--version"])
    #expect(r.status == 0)
    #expect(r.stdout == "\(tool) 0.1.0\n")
  }

  @Test func rejectRateFailureNamesTheFirstRejectedRecord() throws {
    let bad = path("bad.jsonl")
    try Data("{\"prompt\":\"a\",\"chosen\":\"b\",\"rejected\":\"c\"}\nnot json\n".utf8).write(
      to: URL(fileURLWithPath: bad))
    let r = try runTool("rmprep", ["convert", bad, "--format", "trl", "-o", path("o.jsonl")])
    #expect(r.status == 1)
    #expect(
      r.stderr.hasSuffix(
        "rmprep: error: reject rate 50% exceeds --max-reject-rate 1%; first: \(bad):2:1: invalid"
          + " JSON: invalid literal [invalid-json]; no output was written; re-run with --rejects"
          + " FILE to see them all\n"))
  }

  @Test func convertRefusesToReplaceItsOwnInput() throws {
    let before = try Data(contentsOf: URL(fileURLWithPath: corpus))
    let r = try runTool("rmprep", ["convert", corpus, "--format", "trl", "-o", corpus])
    #expect(r.status == 64)
    #expect(
      r.stderr.hasPrefix(
        "rmprep: error: -o \(corpus) is the input \(corpus): it would be replaced; write elsewhere\n"
      ))
    #expect(try Data(contentsOf: URL(fileURLWithPath: corpus)) == before)
  }

  @Test func compressionSuffixesMatchInAnyCase() throws {
    let out = path("a.JSONL.GZ")
    let r = try runTool("rmprep", ["convert", corpus, "--format", "trl", "-o", out])
    #expect(r.status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)).prefix(2) == Data([0x1F, 0x8B]))
  }

  @Test func emptyInputWarnsNoRecords() throws {
    let empty = path("empty.jsonl")
    #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
    let c = try runTool("rmprep", ["convert", empty, "--format", "trl", "-o", path("e.jsonl")])
    #expect(c.status == 0)
    #expect(c.stderr.hasSuffix("rmprep convert: warning: no records in the input\n"))
    let v = try runTool("rmprep", ["validate", "--format", "record", empty])
    #expect(v.status == 0)
    #expect(v.stderr.hasSuffix("rmprep validate: warning: no records in \(empty)\n"))
  }

  /// Flag values are checked before any file is opened, and a bad one is a usage error (64).
  @Test(arguments: [
    (
      ["sample", "run", "--prompt", "x", "--count", "0"],
      "--count and --max-new-tokens must be >= 1"
    ),
    (["sample", "run", "--prompt", "x", "--top-p", "0"], "--top-p in (0, 1]"),
    (
      ["sft", "--data", "d", "--resume", "--overwrite", "-o", "r"],
      "give --resume or --overwrite, not both"
    ),
    (
      ["sft", "--data", "d", "--batch-size", "abc", "-o", "r"],
      "invalid value 'abc' for '--batch-size': expected an integer"
    ),
  ])
  func rmtrainFlagValuesAreUsageErrors(arguments: [String], message: String) throws {
    let r = try runTool("rmtrain", arguments)
    #expect(r.status == 64)
    #expect(r.stderr.contains(message))
  }
}
