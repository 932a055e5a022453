// `rmprep validate` end to end: help on stdout, usage errors (64), every violation on stdout with
// line, pointer and keyword, summaries on stderr, exit 1 on any failure, stdin as `-`.

import Foundation
import Testing

@Suite struct ValidateCommandTests {
  @Test func helpListsOptionsAndExitStatus() throws {
    let r = try runInRoot(["validate", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("OVERVIEW: Check files against our JSON Schemas"))
    #expect(r.stdout.contains("--format <name>"))
    #expect(r.stdout.contains("EXIT STATUS:"))
  }

  @Test(arguments: [
    (["validate", "x.jsonl"], "give exactly one of --schema FILE or --format NAME"),
    (["validate", "--format", "record"], "validate needs at least one file ('-' for stdin)"),
    (["validate", "--format", "nosuch", "x.jsonl"], "no schema for format 'nosuch'"),
  ])
  func usageErrors(arguments: [String], message: String) throws {
    let r = try runInRoot(arguments)
    #expect(r.status == 64)
    #expect(r.stderr.contains(message))
    #expect(r.stderr.contains("See 'rmprep --help'."))
  }

  /// Run by name through PATH from another directory: the schemas are still found (from the
  /// executable's real path, not argv[0]); an override that holds none says what to do.
  @Test func findsSchemasWhenRunThroughPathFromAnotherDirectory() throws {
    let elsewhere = try temporaryDirectory()
    let records = packageRoot().appendingPathComponent(
      "Fixtures/hh-rlhf/pairs.jsonl.expected.jsonl")
    let toolDirectory = toolExecutable("rmprep").deletingLastPathComponent().path
    func run(_ environment: [String: String]) throws -> (status: Int32, stderr: String) {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["rmprep", "validate", "--format", "record", records.path]
      process.currentDirectoryURL = elsewhere
      var env = ProcessInfo.processInfo.environment
      env["PATH"] = toolDirectory + ":/usr/bin:/bin"
      env["SEQ2SEQRM_SCHEMAS"] = nil
      env.merge(environment) { $1 }
      process.environment = env
      let err = Pipe()
      process.standardError = err
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      let errData = err.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return (process.terminationStatus, String(decoding: errData, as: UTF8.self))
    }
    let found = try run([:])
    #expect(found.status == 0)
    #expect(found.stderr.contains("in 6 = valid 6"))
    let empty = try run(["SEQ2SEQRM_SCHEMAS": elsewhere.path])
    #expect(empty.status == 64)
    #expect(
      empty.stderr.hasPrefix(
        "rmprep: error: no Schemas directory found (looked in \(elsewhere.path)); pass"
          + " --schemas-dir DIR or set SEQ2SEQRM_SCHEMAS to the Schemas/ folder of the Seq2SeqRM"
          + " checkout\n"))
  }

  @Test func reportsViolationsAndFails() throws {
    let r = try runInRoot(["validate", "--format", "hh-rlhf", "Fixtures/hh-rlhf/broken.jsonl"])
    #expect(r.status == 1)
    #expect(
      r.stdout == """
        Fixtures/hh-rlhf/broken.jsonl:1 (record 0): at '': required: missing property 'rejected' (schema '/required')
        Fixtures/hh-rlhf/broken.jsonl:2 (record 1): at '/rejected': type: expected string, found array (schema '/properties/rejected/type')

        """)
    #expect(
      r.stderr.hasPrefix(
        "rmprep validate: Fixtures/hh-rlhf/broken.jsonl: in 3 = valid 1 + invalid 2 (required 1, type 1) + unreadable 0\n"
      ))
  }

  @Test func validFilesPassWithStatusZero() throws {
    let r = try runInRoot([
      "validate", "--schema", "Schemas/record.schema.json",
      "Fixtures/stackexchange/k09.xml.expected.jsonl",
      "Fixtures/hh-rlhf/pairs.jsonl.expected.jsonl",
    ])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.isEmpty)
    #expect(
      r.stderr.hasSuffix("rmprep validate: total: in 7 = valid 7 + invalid 0 + unreadable 0\n"))
  }

  @Test func readsPostsXMLRowsAsAttributeObjects() throws {
    let r = try runInRoot([
      "validate", "--format", "stackexchange", "Fixtures/stackexchange/cap.xml",
    ])
    #expect(r.status == 1)
    #expect(
      r.stdout.contains(
        "Fixtures/stackexchange/cap.xml:7 (record 5): at '': required: missing property 'Id'"))
    #expect(
      r.stdout.contains(
        "cap.xml:8 (record 6): at '/Score': pattern: string does not match /^-?[0-9]+$/"))
  }
}
