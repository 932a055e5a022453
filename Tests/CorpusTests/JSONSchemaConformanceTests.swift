// The official JSON Schema Test Suite (draft 2020-12, ../shared/conformance/json-schema-test-suite)
// against JSONSchema. Every group of every file runs, except the files and groups listed below
// with the reason; a listed group that starts passing fails the test, so the list stays honest.
// Skips (with a message) when the shared folder is absent.

import Corpus
import Foundation
import Testing

/// The suite folder: `<package root>/../shared/conformance/json-schema-test-suite/draft2020-12`.
func conformanceSuiteDirectory(filePath: String = #filePath) -> URL {
  URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared/conformance/json-schema-test-suite/draft2020-12")
}

enum Conformance {
  /// Whole files we do not run: keywords or reference kinds outside our subset.
  static let unsupportedFiles: [String: String] = [
    "dynamicRef.json": "$dynamicRef/$dynamicAnchor (dynamic scope) is not supported",
    "refRemote.json": "remote $ref (other documents, base-URI changes) is not supported",
    "unevaluatedItems.json": "unevaluatedItems (annotation collection) is not supported",
    "unevaluatedProperties.json": "unevaluatedProperties (annotation collection) is not supported",
  ]

  /// Single groups (`file: description`) we do not run, with the reason.
  static let unsupportedGroups: [String: String] = [
    "anchor.json: Location-independent identifier with absolute URI":
      "$id below the root (embedded resource, base-URI change)",
    "anchor.json: Location-independent identifier with base URI change in subschema":
      "$id below the root (embedded resource, base-URI change)",
    "anchor.json: same $anchor with different base uri":
      "$id below the root (embedded resource, base-URI change)",
    "defs.json: validate definition against metaschema":
      "needs the metaschema (remote $ref)",
    "not.json: collect annotations inside a 'not', even if collection is disabled":
      "uses unevaluatedProperties",
    "ref.json: $id must be resolved against nearest parent, not just immediate parent":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: Recursive references between schemas":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: URN ref with nested pointer ref":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: order of evaluation: $id and $anchor and $ref":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: order of evaluation: $id and $ref on nested schema":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: order of evaluation: $id and $ref":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: ref creates new scope when adjacent to keywords":
      "uses unevaluatedProperties",
    "ref.json: ref to else":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: ref to if":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: ref to then":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: ref with absolute-path-reference":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: refs with relative uris and defs":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: relative refs with absolute uris and defs":
      "$id below the root (embedded resource, base-URI change)",
    "ref.json: remote ref, containing refs itself":
      "needs the metaschema (remote $ref)",
    "vocabulary.json: schema that uses custom metaschema with with no validation vocabulary":
      "$vocabulary of a custom metaschema (needs remote metaschema)",
  ]
}

@Suite struct JSONSchemaConformanceTests {
  static var files: [String] {
    let directory = conformanceSuiteDirectory()
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted()
  }

  @Test func suiteIsPresentOrSkipped() {
    if Self.files.isEmpty {
      print("skipping JSON Schema conformance: \(conformanceSuiteDirectory().path) not found")
    } else {
      #expect(Self.files.count >= 40)
    }
  }

  @Test(arguments: Self.files)
  func keywordFile(name: String) throws {
    if Conformance.unsupportedFiles[name] != nil { return }
    let url = conformanceSuiteDirectory().appendingPathComponent(name)
    let groups = try JSONParser.parse(Array(try Data(contentsOf: url)), path: url.path)
    let descriptions = Set((groups.arrayValue ?? []).compactMap { $0["description"]?.stringValue })
    for key in Conformance.unsupportedGroups.keys where key.hasPrefix(name + ": ") {
      #expect(
        descriptions.contains(String(key.dropFirst(name.count + 2))),
        "listed group not in suite: \(key)")
    }
    for group in groups.arrayValue ?? [] {
      let description = group["description"]?.stringValue ?? "?"
      let listed = Conformance.unsupportedGroups["\(name): \(description)"] != nil
      var failures: [String] = []
      do {
        let schema = try JSONSchema(group["schema"] ?? .null, path: name)
        for test in group["tests"]?.arrayValue ?? [] {
          let expected = test["valid"]?.boolValue ?? false
          let data = test["data"] ?? .null
          if schema.isValid(data) != expected || schema.validate(data).isEmpty != expected {
            failures.append("\(test["description"]?.stringValue ?? "?") (expected \(expected))")
          }
        }
      } catch {
        failures.append("schema refused: \(error)")
      }
      if listed {
        #expect(!failures.isEmpty, "\(name): \(description) passes now; remove it from the list")
      } else if !failures.isEmpty {
        Issue.record("FAIL \(name): \(description): \(failures.joined(separator: "; "))")
      }
    }
  }
}
