// TagScanner: names are lowercased (the lowercase-ASCII fast path against `lowercased()`),
// attribute values decoded with and without `&`.

import Testing

@testable import Corpus

@Suite struct HTMLTagScannerTests {
  static func scanned(_ html: String) -> HTMLTag? {
    var copy = html
    return copy.withUTF8 { bytes in
      var scanner = TagScanner(bytes: bytes)
      return scanner.scanTag(at: 0)
    }
  }

  @Test func exactTags() {
    #expect(
      Self.scanned(#"<A HREF="x&amp;y" Title=T>"#)
        == .start(name: "a", attributes: ["href": "x&y", "title": "T"], selfClosing: false))
    #expect(
      Self.scanned(#"<img src="https://e.org/a.png" alt=''/>"#)
        == .start(
          name: "img", attributes: ["src": "https://e.org/a.png", "alt": ""], selfClosing: true))
    #expect(Self.scanned("</Pre >") == .end(name: "pre"))
    #expect(
      Self.scanned("<T\u{C9}t\u{C9}>")
        == .start(name: "t\u{E9}t\u{E9}", attributes: [:], selfClosing: false))
  }

  @Test func namesMatchLowercasedOnAllShortNames() {
    let letters = ["a", "Z", "m", "Q", "1", "\u{C9}", "-"]
    var names = ["x"]
    for _ in 0..<4 {
      names = names.flatMap { prefix in letters.map { prefix + $0 } }
      for name in names {
        #expect(
          Self.scanned("<\(name) \(name)=v>")
            == .start(
              name: name.lowercased(), attributes: [name.lowercased(): "v"], selfClosing: false))
      }
    }
  }
}
