// InlineText: the one-pass `take` against its split/trim/join reference, on exact small cases
// and on every byte string over {a, space, LF} up to length 7.

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

  @Test func takeMatchesItsReferenceOnAllShortInputs() {
    let alphabet: [UInt8] = [0x61, 0x20, 0x0A]
    for length in 0...7 {
      var total = 1
      for _ in 0..<length { total *= alphabet.count }
      for code in 0..<total {
        var bytes: [UInt8] = []
        var rest = code
        for _ in 0..<length {
          bytes.append(alphabet[rest % alphabet.count])
          rest /= alphabet.count
        }
        var inline = InlineText()
        inline.bytes = bytes
        let reference = inline.takeReference()
        #expect(inline.take() == reference, "\(bytes)")
        #expect(inline.bytes.isEmpty)
      }
    }
  }
}
