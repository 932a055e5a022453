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

  /// `add(text:)` and `addReference(text:)` of `bytes` after `start` leave the same state.
  static func expectSameAdd(_ bytes: [UInt8], after start: InlineText) {
    var fast = start
    var reference = start
    bytes.withUnsafeBufferPointer {
      fast.add(text: $0)
      reference.addReference(text: $0)
    }
    #expect(fast.bytes == reference.bytes, "\(start.bytes) \(start.pendingSpace) \(bytes)")
    #expect(fast.pendingSpace == reference.pendingSpace)
  }

  @Test func addTextMatchesItsReferenceOnAllShortInputs() {
    let all = Self.allStrings(over: [0x61, 0x20, 0x0A, 0x09], upTo: 7)
    for before: [UInt8] in [[], [0x62], [0x62, 0x0A]] {
      for pending in [false, true] {
        for bytes in all {
          Self.expectSameAdd(bytes, after: InlineText(bytes: before, pendingSpace: pending))
        }
      }
    }
  }

  /// Long random strings reach the 16-byte path; spaces are frequent so every lane position of a
  /// single or double space, and control bytes, come up.
  @Test func addTextMatchesItsReferenceOnLongRandomInputs() {
    let alphabet: [UInt8] = [
      0x61, 0x62, 0x20, 0x20, 0x20, 0x0A, 0x09, 0x0D, 0x01, 0x7F, 0xC3, 0xA9,
    ]
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    for _ in 0..<20_000 {
      let sparse = next(2) == 0  // mostly words and single spaces: long 16-byte stretches
      let bytes = (0..<next(90)).map { _ in
        sparse && next(6) > 0 ? UInt8(ascii: "w") : alphabet[next(alphabet.count)]
      }
      Self.expectSameAdd(bytes, after: InlineText(bytes: [0x62], pendingSpace: next(2) == 0))
    }
  }
}
