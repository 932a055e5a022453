// HTML → text for Stack Exchange bodies: exact renders of every construct the dumps use, the K09
// second decoding layer (entities decoded exactly once, `&nbsp;` is no error), and broken HTML.

@testable import Corpus
import Testing

@Suite struct HTMLTextTests {
  @Test(arguments: [
    ("<p>How do I x?&nbsp;</p>", "How do I x?\u{A0}"),
    ("<p>Use y &amp; z</p>", "Use y & z"),
    ("<p>a &amp;lt; b</p>", "a &lt; b"),  // decoded once, never twice (K09)
    ("<pre><code>a &lt; b</code></pre>", "```\na < b\n```"),
    ("<pre><code>\nx\r\n  y\r\n</code></pre>", "```\nx\n  y\n```"),
    ("<p>one\n  two</p>\n\n<p>three</p>", "one two\n\nthree"),
    ("<p>line<br>break<br/>again</p>", "line\nbreak\nagain"),
    ("<ul>\n<li>a</li>\n<li>b <em>c</em></li>\n</ul>", "- a\n- b c"),
    ("<ol start=\"3\"><li>x</li><li>y</li></ol>", "3. x\n4. y"),
    ("<blockquote>\n<p>q1</p>\n<p>q2</p>\n</blockquote>", "> q1\n>\n> q2"),
    ("<p>see <a href=\"https://x.org/a?b=1&amp;c=2\">the docs</a>.</p>", "see [the docs](https://x.org/a?b=1&c=2)."),
    ("<a href=\"https://x.org\">https://x.org</a>", "https://x.org"),
    ("<p>use <code>ls -l</code> here</p>", "use `ls -l` here"),
    ("<img src=\"i.png\" alt=\"a chart\">", "![a chart](i.png)"),
    ("<h2>Title</h2><p>x</p><hr><p>y</p>", "## Title\n\nx\n\n---\n\ny"),
    ("<table><tr><th>a</th><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>", "a | b\nc | d"),
    ("<p>unclosed<p>next", "unclosed\n\nnext"),
    ("if a < b and c > d", "if a < b and c > d"),
    ("<p>&bogus; &#65;&#x42; &#0; &#x110000;</p>", "&bogus; AB \u{FFFD} \u{FFFD}"),
    ("<!-- hidden --><p>shown</p>", "shown"),
    ("<ul><li><p>p</p><ul><li>nested</li></ul></li></ul>", "- p\n\n  - nested"),
    ("", ""),
  ])
  func renders(html: String, text: String) {
    #expect(HTMLText.render(html) == text)
  }

  @Test func fragmentTreeForUnclosedAndVoidElements() {
    let nodes = HTMLFragment.parse("<p>a<br>b</p><p>c")
    #expect(nodes == [
      .element(HTMLElement("p", children: [.text(Array("a".utf8)), .element(HTMLElement("br")), .text(Array("b".utf8))])),
      .element(HTMLElement("p", children: [.text(Array("c".utf8))])),
    ])
  }

  @Test func entitiesDecodeOnceAndKeepUnknownNames() {
    #expect(HTMLEntities.decode("&amp;amp; &eacute;t&eacute; &hellip; &#x1F600; &nosuch; &amp") == "&amp; été … 😀 &nosuch; &amp")
  }
}
