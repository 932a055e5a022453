// HTMLEntities.decode (runs copied whole) against its byte-by-byte reference: exact small cases
// and every string over a small alphabet of entity pieces up to length 6.

import Testing

@testable import Corpus

@Suite struct HTMLEntitiesTests {
  static func decoded(_ text: String) -> (String, String) {
    var copy = text
    return copy.withUTF8 { bytes in
      var fast: [UInt8] = []
      var slow: [UInt8] = []
      HTMLEntities.decode(bytes, appendingTo: &fast)
      HTMLEntities.decodeReference(bytes, appendingTo: &slow)
      return (String(decoding: fast, as: UTF8.self), String(decoding: slow, as: UTF8.self))
    }
  }

  @Test func exactCases() {
    #expect(Self.decoded("") == ("", ""))
    #expect(Self.decoded("plain") == ("plain", "plain"))
    #expect(Self.decoded("a &amp; b") == ("a & b", "a & b"))
    #expect(Self.decoded("&lt;&gt;x&#39;") == ("<>x'", "<>x'"))
    #expect(Self.decoded("&nosuch; &amp") == ("&nosuch; &amp", "&nosuch; &amp"))
    #expect(Self.decoded("\u{E9}&nbsp;") == ("\u{E9}\u{A0}", "\u{E9}\u{A0}"))
  }

  @Test func matchesItsReferenceOnAllShortInputs() {
    let pieces = ["a", "&", "amp", ";", "#3", "9", "\u{E9}"]
    var inputs = [""]
    var checked = 0
    for _ in 0..<6 {
      inputs = inputs.flatMap { prefix in pieces.map { prefix + $0 } }
      for input in inputs {
        let (fast, slow) = Self.decoded(input)
        #expect(fast == slow, "input \(input.debugDescription)")
        checked += 1
      }
    }
    #expect(checked == 137_256)
  }
}
