// Every Fixtures/<format>/expect.json entry: exact counts by outcome and reason, the whole-file error
// for broken containers, and byte-exact records where a `<file>.expected.jsonl` exists.

import Corpus
import Foundation
import Testing

/// One file's expectation from an expect.json.
struct FixtureCase: CustomTestStringConvertible, Sendable {
  let directory: String
  let file: String
  let expectation: JSONValue
  var testDescription: String { "\(directory)/\(file)" }
  /// The format: the entry's `format`, else the directory name.
  var format: String { expectation["format"]?.stringValue ?? directory }
  /// The entry's `options` as format options; a `true` flag (`"xml-recover": true`) becomes "true".
  var formatOptions: [String: String] {
    var options: [String: String] = [:]
    for member in expectation["options"]?.objectValue ?? [] {
      options[member.key] = member.value == .bool(true) ? "true" : member.value.stringValue
    }
    return options
  }

  static func all() -> [FixtureCase] {
    let root = packageRoot().appendingPathComponent("Fixtures")
    let directories = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    var cases: [FixtureCase] = []
    for directory in directories.sorted() {
      let path = root.appendingPathComponent(directory).appendingPathComponent("expect.json").path
      guard let bytes = try? readBytes(path), let value = try? JSONParser.parse(bytes, path: path)
      else { continue }
      for member in value.objectValue ?? [] {
        cases.append(FixtureCase(directory: directory, file: member.key, expectation: member.value))
      }
    }
    return cases
  }
}

@Suite struct FixtureExpectationTests {
  @Test func everyFormatDirectoryHasExpectations() {
    let directories = Set(FixtureCase.all().map(\.directory))
    for name in FormatRegistry.standard.names {
      #expect(directories.contains(name), "Fixtures/\(name)/expect.json is missing")
    }
    #expect(directories.contains("containers") && directories.contains("jsonl"))
  }

  @Test(arguments: FixtureCase.all())
  func fixtureConvertsAsExpected(_ fixtureCase: FixtureCase) throws {
    let want = fixtureCase.expectation
    let relative = "Fixtures/\(fixtureCase.directory)/\(fixtureCase.file)"
    let bytes = try readBytes(fixture("\(fixtureCase.directory)/\(fixtureCase.file)"))
    let format = fixtureCase.format
    let options = fixtureCase.formatOptions
    if let errorName = want["error"]?.stringValue {
      let error = #expect(throws: CorpusError.self) {
        _ = try convert(bytes, name: relative, format: format, options: options)
      }
      #expect(error.map(Self.caseName) == errorName)
      return
    }
    let result = try convert(bytes, name: relative, format: format, options: options)
    let totals = result.accounting
    #expect(totals.isBalanced)
    #expect(totals.written == want["written"]?.intValue)
    #expect(Self.counts(totals.dropped) == Self.counts(want["dropped"]))
    #expect(Self.counts(totals.rejected) == Self.counts(want["rejected"]))
    let golden = fixture("\(fixtureCase.directory)/\(fixtureCase.file).expected.jsonl")
    if FileManager.default.fileExists(atPath: golden) {
      #expect(
        String(decoding: result.output, as: UTF8.self)
          == String(decoding: try readBytes(golden), as: UTF8.self))
    }
  }

  static func counts<R: RawRepresentable>(_ map: [R: Int]) -> [String: Int]
  where R.RawValue == String {
    Dictionary(uniqueKeysWithValues: map.map { ($0.key.rawValue, $0.value) })
  }

  static func counts(_ value: JSONValue?) -> [String: Int] {
    Dictionary(
      uniqueKeysWithValues: (value?.objectValue ?? []).map { ($0.key, $0.value.intValue ?? -1) })
  }

  /// `CorpusError` case name in kebab-case (`corrupt-compressed-stream`).
  static func caseName(_ error: CorpusError) -> String {
    switch error {
    case .corruptCompressedStream: return "corrupt-compressed-stream"
    case .gitLFSPointer: return "git-lfs-pointer"
    case .unsupportedContainer: return "unsupported-container"
    case .malformedDocument: return "malformed-document"
    case .malformedXML: return "malformed-xml"
    case .truncatedXML: return "truncated-xml"
    case .unknownFormat: return "unknown-format"
    default: return "\(error)"
    }
  }
}
