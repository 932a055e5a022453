// The single-pass renderer (HTMLStreamText) against the tree renderer it replaces
// (HTMLText.renderReference): identical text over the exact cases of HTMLTextTests, every Body
// and Title of the Stack Exchange fixtures and of the shared real dumps (skipped with a message
// when absent), and random tag soup that exercises implied closes, stray end tags and nesting
// the dumps never use.

import Foundation
import Testing

@testable import Corpus

@Suite struct HTMLStreamTextTests {
  /// Renders `html` both ways; returns (stream, reference); stream is nil when declined.
  static func both(_ html: String, _ renderer: inout HTMLStreamText) -> (String?, String) {
    var copy = html
    return copy.withUTF8 { bytes in
      let stream = renderer.render(bytes).map { String(decoding: $0, as: UTF8.self) }
      return (stream, HTMLText.renderReference(bytes))
    }
  }

  /// The Body and Title values of every row of a Posts.xml file (rows after a broken one are
  /// read in recover mode).
  static func htmlValues(of path: String) throws -> [String] {
    var values: [String] = []
    try forEachPostsRow(of: path) { row in
      if let body = row.string("Body") { values.append(body) }
      if let title = row.string("Title") { values.append(title) }
    }
    return values
  }

  static func expectSame(_ values: [String], _ what: String) -> Int {
    var renderer = HTMLStreamText()
    var declined = 0
    for html in values {
      let (stream, reference) = both(html, &renderer)
      guard let stream else {
        declined += 1
        continue
      }
      #expect(stream == reference, "\(what): \(html.prefix(200))")
    }
    return declined
  }

  @Test func exactCasesMatchTheTree() {
    let cases = [
      "<p>How do I x?&nbsp;</p>", "<pre><code>\nx\r\n  y\r\n</code></pre>",
      "<ul><li><p>p</p><ul><li>nested</li></ul></li></ul>", "<p>unclosed<p>next",
      "<ol start=\"3\"><li>x</li><li>y</li></ol>",
      "<blockquote>\n<p>q1</p>\n<p>q2</p>\n</blockquote>",
      "<table><tr><th>a</th><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
      "<p>see <a href=\"https://x.org/a?b=1&amp;c=2\"> the docs </a>.</p>",
      "<a href=\"u\"><span></span> x</a>", "<a href=\"u\"><script> s</script>t</a>",
      "<h2><p>a</p><p>b</p></h2>", "<table><tr><td></td></tr></table><p>b</p>",
      "<tr>x<br><img src=s></tr>", "<span><p>a</p><p>b</p></span>", "<pre>a<br>b<p>c</pre>",
      "<ul>text<b>bold</b><li>item</ul>", "<p>x<a>y<p>z</a>w", "<li>a<li>b", "",
      "<TeSt-Name>x</test-name>", "<verylongtagname-over-16>x</verylongtagname-over-16>",
    ]
    var renderer = HTMLStreamText()
    for html in cases {
      let (stream, reference) = Self.both(html, &renderer)
      if html.contains("verylong") {
        #expect(stream == nil, "names over 16 bytes go to the tree")
      } else {
        #expect(stream == reference, "\(html)")
      }
    }
  }

  @Test func everyFixtureBodyMatchesTheTree() throws {
    let directory = packageRoot().appendingPathComponent("Fixtures/stackexchange")
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".xml") }.sorted()
    #expect(!files.isEmpty)
    var count = 0
    for file in files {
      let values = try Self.htmlValues(of: directory.appendingPathComponent(file).path)
      count += values.count
      #expect(Self.expectSame(values, file) == 0, "\(file): no body is declined")
    }
    #expect(count > 0)
  }

  @Test(arguments: ["stackexchange-french-meta", "stackexchange-datascience-meta-2024"])
  func everyRealDumpBodyMatchesTheTree(site: String) throws {
    guard let path = sharedCorpus("\(site)/Posts.xml", filePath: #filePath) else { return }
    let values = try Self.htmlValues(of: path)
    #expect(values.count > 500)
    #expect(Self.expectSame(values, site) == 0, "\(site): no body is declined")
  }

  /// Random fragments over a token alphabet chosen to break nesting: the same text either way.
  @Test func randomTagSoupMatchesTheTree() {
    let tokens = [
      "<p>", "</p>", "<a href=\"h\">", "<a href=\"x y\">", "</a>", "<code>", "</code>", "<kbd>",
      "</kbd>", "<pre>", "</pre>", "<ul>", "</ul>", "<ol start=\"2\">", "<ol start=x>", "</ol>",
      "<li>", "</li>", "<li/>", "<blockquote>", "</blockquote>", "<h2>", "</h2>", "<h1>", "<hr>",
      "<br>", "<BR/>", "<table>", "</table>", "<thead>", "<tbody>", "</tbody>", "<tr>", "</tr>",
      "<td>", "</td>", "<td/>", "<th>", "<em>", "</em>", "<b>", "</b>", "<span>", "</span>",
      "<script>", "</script>", "<style>", "<img src=\"i\" alt=\"a\">", "<img alt=\"only\">",
      "<img src=''/>", "<div>", "</div>", "<dl>", "<dd>", "<P>", "<p/>", "<a/>", "<x-y>", "</x-y>",
      " ", "  ", "x", "y z", " w ", "\n", "\r\n", "\t", "&amp;", "&lt;", "&nbsp;", "&#32;",
      "<!-- c -->", "<", "a < b", ">", "</nope>", "<section>", "</section>", "<hr/>",
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    var renderer = HTMLStreamText()
    var mismatches = 0
    for _ in 0..<20_000 {
      var html = ""
      for _ in 0..<(1 + next(24)) { html += tokens[next(tokens.count)] }
      let (stream, reference) = Self.both(html, &renderer)
      if stream != reference {
        mismatches += 1
        if mismatches <= 5 {
          Issue.record("mismatch for \(html.debugDescription): \(String(describing: stream))")
        }
      }
    }
    #expect(mismatches == 0)
  }
}
