// InlineText: the one-pass `take` against its split/trim/join reference, on exact small cases
// and on every byte string over {a, space, LF} up to length 7; `add(text:)` (stretches copied
// whole) against its word-by-word reference on every string over {a, space, LF, TAB} up to
// length 7, after content ending in a word, a space or a line break.

import Testing

@testable import Corpus

@Suite struct HTMLInlineTextTests {
  static func taken(_ text: String) -> (String?, String?) {
    var inline = InlineText()
    inline.bytes = Array(text.utf8)
    let reference = inline.takeReference().map { String(decoding: $0, as: UTF8.self) }
    return (inline.take().map { String(decoding: $0, as: UTF8.self) }, reference)
  }

  @Test(
    arguments: [
      ("", nil),
      ("  \n \n", nil),
      ("\n  a b  \n\n\n c\n \n", "a b\n\n\nc"),
      ("x", "x"),
      (" é \n\u{A0}", "é\n\u{A0}"),
    ] as [(String, String?)])
  func takeTrimsLinesAndDropsOuterEmptyLines(text: String, expected: String?) {
    let (fast, reference) = Self.taken(text)
    #expect(fast == expected)
    #expect(reference == expected)
  }

  /// Every byte string over `alphabet` of length 0 … `length`.
  static func allStrings(over alphabet: [UInt8], upTo length: Int) -> [[UInt8]] {
    var all: [[UInt8]] = [[]]
    var last: [[UInt8]] = [[]]
    for _ in 0..<length {
      last = last.flatMap { prefix in alphabet.map { prefix + [$0] } }
      all += last
    }
    return all
  }

  @Test func takeMatchesItsReferenceOnAllShortInputs() {
    for bytes in Self.allStrings(over: [0x61, 0x20, 0x0A], upTo: 7) {
      var inline = InlineText()
      inline.bytes = bytes
      let reference = inline.takeReference()
      #expect(inline.take() == reference, "\(bytes)")
      #expect(inline.bytes.isEmpty)
    }
  }

  @Test func addTextMatchesItsReferenceOnAllShortInputs() {
    let all = Self.allStrings(over: [0x61, 0x20, 0x0A, 0x09], upTo: 7)
    for before: [UInt8] in [[], [0x62], [0x62, 0x0A]] {
      for pending in [false, true] {
        for bytes in all {
          var fast = InlineText(bytes: before, pendingSpace: pending)
          var reference = fast
          bytes.withUnsafeBufferPointer {
            fast.add(text: $0)
            reference.addReference(text: $0)
          }
          #expect(fast.bytes == reference.bytes, "\(before) \(pending) \(bytes)")
          #expect(fast.pendingSpace == reference.pendingSpace)
        }
      }
    }
  }
}
