// The fast string paths against their references: JSONWriter.writeString vs the byte-by-byte
// escaper, and JSONParser's SIMD/stdlib-validated string path vs exact round trips of random text
// full of escapes, control characters and multi-byte UTF-8 (lengths around the 16-byte lanes).

import Testing

@testable import Corpus

@Suite struct JSONRoundTripTests {
  static func randomStrings() -> [String] {
    let alphabet: [String] = [
      "a", "b", " ", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "/", "é", "“", "🤗", "\u{FEFF}",
      "x", "yz", "0",
    ]
    var seed: UInt64 = 42
    var out: [String] = []
    for length in 0..<70 {
      var text = ""
      for _ in 0..<length {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text += alphabet[Int(seed >> 33) % alphabet.count]
      }
      out.append(text)
    }
    return out
  }

  @Test func writerMatchesReferenceAndParserRoundTrips() throws {
    for text in Self.randomStrings() {
      var fast: [UInt8] = []
      var reference: [UInt8] = []
      JSONWriter.writeString(text, into: &fast)
      JSONWriter.writeStringReference(text, into: &reference)
      #expect(fast == reference)
      #expect(try JSONParser.parse(fast) == .string(text))
    }
  }

  @Test func invalidUTF8InsideAnEscapedStringIsLocated() {
    // 40 ASCII bytes (past two SIMD lanes), an escape, then a bad byte at column 46.
    let bytes =
      Array(("\"" + String(repeating: "a", count: 40) + "\\n" + "bc").utf8) + [0xFF, 0x22]
    let error = #expect(throws: CorpusError.self) { try JSONParser.parse(bytes, path: "f") }
    #expect(
      error
        == .malformedJSON(
          InputLocation(path: "f", line: 1, column: 46), detail: "invalid UTF-8 byte 0xFF"))
  }

  @Test func duplicateKeysAreFoundInLargeObjectsToo() {
    var text = "{"
    for k in 0..<40 { text += "\"k\(k)\":\(k)," }
    text += "\"k33\":0}"
    #expect(throws: CorpusError.self) { try JSONParser.parse(text) }
  }
}
