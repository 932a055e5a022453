// Walks Fixtures/<format>/expect.json (format: Fixtures/README.md) and checks every expectation
// with the built tools: `rmprep convert` must give the exact counts by reason (and the exact
// records when `<file>.expected.jsonl` exists), its output must pass Schemas/record.schema.json and
// its stats file Schemas/stats.schema.json; `rmprep validate --format <format>` must count the same
// records, find exactly the records convert rejects for their shape (missing-field, wrong-type,
// invalid-value, not-an-object) invalid and the ones it rejects as bad JSON unreadable — unless the
// entry's `validate` object states other counts (with its `why`).

import Corpus
import Foundation
import Testing

/// The package root (this file is Tests/CLITests/FixtureWalkerTests.swift); shared by the CLITests files.
func packageRoot(filePath: String = #filePath) -> URL {
  URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
}

struct FixtureCase: CustomTestStringConvertible, Sendable {
  var directory: String
  var file: String
  var expectation: JSONValue
  var testDescription: String { "\(directory)/\(file)" }

  var format: String { expectation["format"]?.stringValue ?? directory }
  /// Relative to the package root (the tools run there), as the `.expected.jsonl` sources are.
  var path: String { "Fixtures/\(directory)/\(file)" }

  static var all: [FixtureCase] {
    let fixtures = packageRoot().appendingPathComponent("Fixtures")
    let directories = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
    var cases: [FixtureCase] = []
    for directory in directories.sorted() {
      let expect = fixtures.appendingPathComponent("\(directory)/expect.json")
      guard let data = try? Data(contentsOf: expect),
        let value = try? JSONParser.parse(Array(data), path: expect.path)
      else { continue }
      for (file, expectation) in value.objectValue ?? [] {
        cases.append(FixtureCase(directory: directory, file: file, expectation: expectation))
      }
    }
    return cases
  }
}

/// Rejections that are about the JSON text (validate: unreadable) rather than its shape.
let textRejections: Set<String> = [
  "invalid-json", "invalid-utf8", "lone-surrogate", "non-finite-number", "duplicate-key",
  "trailing-garbage", "stray-bom",
]

@Suite struct FixtureWalkerTests {
  @Test func everyFormatDirectoryHasExpectations() {
    let cases = FixtureCase.all
    #expect(cases.count >= 20)
    for format in ["stackexchange", "hh-rlhf", "trl"] {
      #expect(cases.contains { $0.directory == format }, "no fixtures for \(format)")
    }
  }

  @Test(arguments: FixtureCase.all)
  func convertMatchesExpectations(fixture: FixtureCase) throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "walker-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("out.jsonl").path
    let stats = scratch.appendingPathComponent("stats.json").path
    var arguments = [
      "convert", fixture.path, "--format", fixture.format, "--max-reject-rate", "1", "--stats",
      stats,
      "-o", out,
    ]
    for (key, value) in fixture.expectation["options"]?.objectValue ?? [] {
      if value == .bool(true) {
        arguments.append("--\(key)")
      } else {
        arguments += ["--\(key)", value.stringValue ?? ""]
      }
    }
    let run = try runInRoot(arguments)
    if fixture.expectation["error"] != nil {
      #expect(run.status == 1, "\(run.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out), "a failed conversion left output")
      return
    }
    #expect(run.status == 0, "\(run.stderr)")
    let counts = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: stats))))
    #expect(
      counts["records"]?["written"]
        == fixture.expectation["written"].map { .number($0.numberText ?? "") })
    #expect(JSONEquality(counts["dropped"]) == JSONEquality(fixture.expectation["dropped"]))
    #expect(JSONEquality(counts["rejected"]) == JSONEquality(fixture.expectation["rejected"]))
    let expected = packageRoot().appendingPathComponent(fixture.path + ".expected.jsonl").path
    if FileManager.default.fileExists(atPath: expected) {
      #expect(
        try Data(contentsOf: URL(fileURLWithPath: out))
          == Data(contentsOf: URL(fileURLWithPath: expected)))
    }
    let records = try runInRoot(["validate", "--format", "record", out, "--quiet"])
    #expect(records.status == 0, "output fails record.schema.json: \(records.stderr)")
    let statsCheck = try runInRoot(["validate", "--format", "stats", stats])
    #expect(statsCheck.status == 0, "stats fail stats.schema.json: \(statsCheck.stdout)")
  }

  @Test(arguments: FixtureCase.all)
  func validateAgreesWithConvert(fixture: FixtureCase) throws {
    let schema = packageRoot().appendingPathComponent("Schemas/\(fixture.format).schema.json").path
    guard FileManager.default.fileExists(atPath: schema) else { return }  // format "auto"
    let run = try runInRoot(["validate", "--format", fixture.format, fixture.path, "--verdicts"])
    let override = fixture.expectation["validate"]
    if fixture.expectation["error"] != nil || override?["error"] == .bool(true) {
      #expect(run.status == 1, "\(run.stderr)")
      return
    }
    let verdicts = run.stdout.split(separator: "\n").map {
      $0.split(separator: "\t").last.map(String.init) ?? ""
    }
    let rejected = fixture.expectation["rejected"]?.objectValue ?? []
    let rejectedCount = rejected.reduce(0) { $0 + ($1.value.intValue ?? 0) }
    let text = rejected.filter { textRejections.contains($0.key) }.reduce(0) {
      $0 + ($1.value.intValue ?? 0)
    }
    let total =
      (fixture.expectation["written"]?.intValue ?? 0) + rejectedCount
      + (fixture.expectation["dropped"]?.objectValue ?? []).reduce(0) {
        $0 + ($1.value.intValue ?? 0)
      }
    let expectedIn = override?["in"]?.intValue ?? total
    let expectedUnreadable = override?["unreadable"]?.intValue ?? text
    let expectedInvalid = override?["invalid"]?.intValue ?? (rejectedCount - text)
    #expect(verdicts.count == expectedIn, "\(run.stderr)")
    #expect(verdicts.filter { $0 == "unreadable" }.count == expectedUnreadable, "\(run.stderr)")
    #expect(verdicts.filter { $0 == "invalid" }.count == expectedInvalid, "\(run.stderr)")
    #expect(run.status == (expectedInvalid + expectedUnreadable > 0 ? 1 : 0))
  }
}

/// Runs the built `rmprep` with the package root as working directory.
func runInRoot(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
  let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  var executable = bundleDirectory.appendingPathComponent("rmprep")
  if !FileManager.default.fileExists(atPath: executable.path) {
    executable = bundleDirectory.deletingLastPathComponent().appendingPathComponent("rmprep")
  }
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  process.currentDirectoryURL = packageRoot()
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = FileHandle.nullDevice
  try process.run()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (
    process.terminationStatus, String(decoding: outData, as: UTF8.self),
    String(decoding: errData, as: UTF8.self)
  )
}

/// Compares two JSON count objects ignoring member order (`{}` equals a missing object).
struct JSONEquality: Equatable {
  let members: [String: String]
  init(_ value: JSONValue?) {
    var members: [String: String] = [:]
    for (key, count) in value?.objectValue ?? [] { members[key] = count.numberText }
    self.members = members
  }
}
