// LineReader: exact lines, numbers and offsets; CRLF, BOM only at byte 0, a last line without
// newline, and lines far longer than the buffer (K07: the buffer grows; its size never changes the
// result). JSON-array element splitting with start lines.

import Corpus
import Testing

@Suite struct LineReaderTests {
  func lines(_ bytes: [UInt8], capacity: Int = 1 << 20) throws -> [(String, Int, Int)] {
    var out: [(String, Int, Int)] = []
    try LineReader(MemorySource(bytes), capacity: capacity).forEachLine { line, number, offset in
      out.append((String(decoding: line, as: UTF8.self), number, offset))
    }
    return out
  }

  @Test func splitsLinesWithNumbersAndOffsets() throws {
    let got = try lines(Array("ab\r\n\ncd\nlast".utf8))
    #expect(got.map(\.0) == ["ab", "", "cd", "last"])
    #expect(got.map(\.1) == [1, 2, 3, 4])
    #expect(got.map(\.2) == [0, 4, 5, 8])
  }

  @Test func skipsBOMOnlyAtTheStart() throws {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    let got = try lines(bom + Array("a\n".utf8) + bom + Array("b\n".utf8))
    #expect(got.map(\.0) == ["a", "\u{FEFF}b"])
  }

  @Test(arguments: [16, 17, 64, 1 << 20])
  func longLinesDoNotDependOnBufferSize(capacity: Int) throws {
    let long = String(repeating: "a", count: 100_003)
    let got = try lines(Array("x\n\(long)\ny".utf8), capacity: capacity)
    #expect(got.map(\.0.count) == [1, 100_003, 1])
    #expect(got.map(\.1) == [1, 2, 3])
  }

  @Test func emptyInputHasNoLines() throws {
    #expect(try lines([]).isEmpty)
    #expect(try LineReader(MemorySource([])).firstNonSpaceByte() == nil)
  }

  @Test func splitsJSONArrayElementsWithTheirLines() throws {
    let text = "\n[\n  {\"a\": \"x,]}\"},\n  [1, {\"b\": 2}],\n  3\n]\n"
    var got: [(String, Int)] = []
    try LineReader(MemorySource(Array(text.utf8)), capacity: 16).forEachArrayElement { e, line, _ in
      got.append((String(decoding: e, as: UTF8.self), line))
    }
    #expect(got.map(\.0) == ["{\"a\": \"x,]}\"}", "[1, {\"b\": 2}]", "3"])
    #expect(got.map(\.1) == [3, 4, 5])
  }

  @Test(arguments: ["[1, 2", "[1] x", "{}"])
  func malformedArraysFailAsAWhole(text: String) {
    #expect(throws: CorpusError.self) {
      try LineReader(MemorySource(Array(text.utf8), name: "a.json")).forEachArrayElement {
        _, _, _ in
      }
    }
  }
}
