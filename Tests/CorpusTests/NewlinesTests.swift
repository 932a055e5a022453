// Newlines.swift against its reference, the byte filter: counts and last offsets on every split
// of a small text, and the empty buffer.

import Corpus
import Testing

@Suite struct NewlinesTests {
  @Test func countAndLastEqualTheFilter() {
    let text = Array("a\nbc\n\n d\ne".utf8)
    for from in 0...text.count {
      for to in from...text.count {
        let slice = Array(text[from..<to])
        let found = slice.withUnsafeBytes { newlines(in: $0) }
        #expect(found.count == slice.filter { $0 == 0x0A }.count)
        #expect(found.last == slice.lastIndex(of: 0x0A))
      }
    }
    #expect(newlines(in: UnsafeRawBufferPointer(start: nil, count: 0)) == (0, nil))
  }
}
