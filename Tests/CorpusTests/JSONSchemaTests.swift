// JSONSchema on small hand-written schemas: exact violations (instance pointer, keyword, schema
// pointer, message), local `$ref` and `$anchor`, unsupported keywords refused, and the schemas
// shipped in Schemas/ all compile and list exactly our drop and reject reasons.

import Corpus
import Foundation
import Testing

func schema(_ text: String) throws -> JSONSchema { try JSONSchema(try JSONParser.parse(text)) }

@Suite struct JSONSchemaTests {
  @Test func reportsEveryViolationWithPointers() throws {
    let s = try schema(#"""
      {"type":"object","required":["id","meta"],"additionalProperties":false,
       "properties":{"id":{"type":"string","pattern":"^[0-9a-f]{4}$"},"n":{"type":"integer","minimum":1},
                     "tags":{"type":"array","items":{"type":"string"},"uniqueItems":true}}}
      """#)
    let violations = s.validate(try JSONParser.parse(#"{"id":"XYZ","n":0.5,"tags":["a",1,"a"],"x":null}"#))
    #expect(violations.map(\.description) == [
      "at '': required: missing property 'meta' (schema '/required')",
      "at '/x': additionalProperties: property 'x' is not allowed (schema '/additionalProperties')",
      "at '/id': pattern: string does not match /^[0-9a-f]{4}$/ (schema '/properties/id/pattern')",
      "at '/n': type: expected integer, found number (schema '/properties/n/type')",
      "at '/n': minimum: 0.5 must be ≥ 1 (schema '/properties/n/minimum')",
      "at '/tags/1': type: expected string, found integer (schema '/properties/tags/items/type')",
      "at '/tags': uniqueItems: items 0 and 2 are equal (schema '/properties/tags/uniqueItems')",
    ])
  }

  @Test func localReferencesAndAnchors() throws {
    let s = try schema(#"""
      {"$defs":{"pos":{"$anchor":"positive","type":"number","exclusiveMinimum":0},
                "a~b":{"const":"ok"}},
       "properties":{"p":{"$ref":"#/$defs/pos"},"q":{"$ref":"#positive"},"r":{"$ref":"#/$defs/a~0b"}}}
      """#)
    #expect(s.isValid(try JSONParser.parse(#"{"p":1,"q":2.5,"r":"ok"}"#)))
    #expect(s.validate(try JSONParser.parse(#"{"q":0}"#)).map(\.schemaPointer) == ["/$defs/pos/exclusiveMinimum"])
  }

  @Test(arguments: [
    (##"{"$dynamicRef":"#x"}"##, "/$dynamicRef"),
    (#"{"unevaluatedProperties":false}"#, "/unevaluatedProperties"),
    (#"{"$ref":"https://example.com/other.json"}"#, "/$ref"),
    (#"{"properties":{"a":{"$id":"a.json"}}}"#, "/properties/a/$id"),
    (#"{"pattern":"(unclosed"}"#, "/pattern"),
    (#"{"type":"strnig"}"#, "/type"),
  ])
  func refusesWhatItCannotCheck(text: String, pointer: String) throws {
    let error = #expect(throws: CorpusError.self) { try schema(text) }
    guard case .invalidSchema(_, let at, _) = error else {
      Issue.record("expected invalidSchema, got \(String(describing: error))")
      return
    }
    #expect(at == pointer)
  }

  @Test func shippedSchemasCompileAndListOurReasons() throws {
    let directory = packageRootForSchemas().appendingPathComponent("Schemas")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".schema.json") }
    #expect(names.count >= 13)
    for name in names { _ = try JSONSchema(contentsOf: directory.appendingPathComponent(name).path) }
    let stats = try JSONSchema(contentsOf: directory.appendingPathComponent("stats.schema.json").path)
    let drops = stats.root["$defs"]?["dropReason"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
    let rejects = stats.root["$defs"]?["rejectReason"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
    #expect(Set(drops) == Set(DropReason.allCases.map(\.rawValue)))
    #expect(Set(rejects) == Set(RejectReason.allCases.map(\.rawValue)))
  }
}

func packageRootForSchemas(filePath: String = #filePath) -> URL {
  URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
}
