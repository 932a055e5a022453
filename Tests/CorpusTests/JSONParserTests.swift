// Strict RFC 8259 parsing: exact values, and an error with line and column for each rejected input.

import Corpus
import Testing

@Suite struct JSONParserTests {
  @Test func parsesNestedValuesKeepingOrderAndNumberText() throws {
    let v = try JSONParser.parse(#" {"b":[1,2.50,-0e+3,true,null],"a":"x\u00e9\n\ud83d\ude00"} "#)
    #expect(v.objectValue?.map(\.key) == ["b", "a"])
    #expect(v["b"]?[1]?.numberText == "2.50")
    #expect(v["b"]?[2]?.numberText == "-0e+3")
    #expect(v["b"]?[3] == .bool(true))
    #expect(v["b"]?[4] == .null)
    #expect(v["a"]?.stringValue == "xé\n😀")
  }

  @Test(arguments: [
    (#"{"a":1,"a":2}"#, 1, 8, "duplicate key \"a\""),
    ("[NaN]", 1, 2, "NaN and Infinity are not JSON numbers"),
    ("[-Infinity]", 1, 3, "NaN and Infinity are not JSON numbers"),
    (#"["\udc00"]"#, 1, 3, "lone low surrogate escape"),
    (#"["\ud800x"]"#, 1, 3, "lone high surrogate escape"),
    ("{\"a\":1}\n x", 2, 2, "unexpected data after the JSON value"),
    ("[01]", 1, 3, "leading zeros are not allowed in numbers"),
    ("[\"a\tb\"]", 1, 4, "control character U+0009 must be escaped in a string"),
  ])
  func rejectsWithPosition(text: String, line: Int, column: Int, detail: String) {
    let error = #expect(throws: CorpusError.self) { try JSONParser.parse(text, path: "f.jsonl") }
    #expect(
      error
        == .malformedJSON(
          InputLocation(path: "f.jsonl", line: line, column: column), detail: detail))
  }

  @Test func rejectsInvalidUTF8() {
    let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]  // "a\xC3(" : bad continuation byte
    let error = #expect(throws: CorpusError.self) {
      try JSONParser.parse(bytes, path: "p", firstLine: 5)
    }
    #expect(
      error
        == .malformedJSON(
          InputLocation(path: "p", line: 5, column: 3), detail: "invalid UTF-8 sequence"))
  }

  @Test func rejectsOverlongAndSurrogateUTF8() {
    for bad: [UInt8] in [
      [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
    ] {
      #expect(throws: CorpusError.self) { try JSONParser.parse(bad) }
    }
  }

  @Test func writerRoundTripsCompactly() throws {
    let text = #"{"k":[1,"a\"b\\c\u0001",{"z":false}],"e":{}}"#
    let v = try JSONParser.parse(text)
    #expect(JSONWriter.string(v) == text)
  }

  @Test func dottedPathsFollowObjectsAndArrays() throws {
    let v = try JSONParser.parse(#"{"a":{"b":[{"c":"hit"}]}}"#)
    #expect(v.value(atDottedPath: "a.b.0.c")?.stringValue == "hit")
    #expect(v.value(atDottedPath: "a.x") == nil)
  }
}
