// HTML → readable text for Stack Exchange bodies (issue 3): paragraphs separated by a blank line,
// `<br>` as a line break, lists as `- item` / `1. item`, block quotes as `> ` lines, links as
// `[text](url)`, images as `![alt](src)`, `<pre>` kept verbatim as a ``` fenced block, inline
// `<code>` in backticks, tables as `a | b` rows. Whitespace outside `<pre>` collapses as in a
// browser (ASCII whitespace only: U+00A0 from `&nbsp;` is kept). CRLF inside `<pre>` becomes LF.

/// Renders HTML fragments as plain text with light Markdown conventions.
public enum HTMLText {
  /// Converts an HTML body (UTF-8 bytes, XML layer already decoded) to text.
  ///
  /// `"<p>Use y &amp; z</p>"` → `"Use y & z"`;
  /// `"<pre><code>a &lt; b\n</code></pre>"` → `` "```\na < b\n```" ``;
  /// `"<ul><li>a</li><li>b</li></ul>"` → `"- a\n- b"`.
  /// - Complexity: O(n · d) for n bytes and nesting depth d.
  /// Single pass (HTMLStreamText); bodies it declines (a tag name over 16 bytes or not ASCII)
  /// go through the tree renderer, `renderReference`, which gives the same text.
  public static func render(_ html: UnsafeBufferPointer<UInt8>) -> String {
    var renderer = HTMLStreamText()
    return render(html, with: &renderer)
  }

  /// `render` with a renderer whose buffers are reused from one body to the next.
  static func render(_ html: UnsafeBufferPointer<UInt8>, with renderer: inout HTMLStreamText)
    -> String
  {
    guard let text = renderer.render(html) else { return renderReference(html) }
    return String(decoding: text, as: UTF8.self)
  }

  /// The reference: parse the fragment into a tree (HTMLFragment), then render the tree.
  public static func renderReference(_ html: UnsafeBufferPointer<UInt8>) -> String {
    let blocks = renderBlocks(HTMLFragment.parse(html))
    return String(decoding: join(blocks, separator: [0x0A, 0x0A]), as: UTF8.self)
  }

  /// `renderReference` of a `String` (tests).
  public static func renderReference(_ html: String) -> String {
    var copy = html
    return copy.withUTF8 { renderReference($0) }
  }

  /// Converts an HTML `String` (tests, small inputs).
  public static func render(_ html: String) -> String {
    var copy = html
    return copy.withUTF8 { render($0) }
  }

  // MARK: - Blocks

  static let blockElements: Set<String> = [
    "p", "div", "section", "article", "header", "footer", "blockquote", "ul", "ol", "pre", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "dl", "dt", "dd",
    "li", "figure", "figcaption", "details", "summary",
  ]

  /// Renders sibling nodes into blocks (each block is text without a leading or trailing newline).
  static func renderBlocks(_ nodes: [HTMLNode]) -> [[UInt8]] {
    var blocks: [[UInt8]] = []
    var inline = InlineText()
    for node in nodes {
      guard case .element(let element) = node, blockElements.contains(element.name) else {
        inline.add(node)
        continue
      }
      if let block = inline.take() { blocks.append(block) }
      blocks.append(contentsOf: renderBlock(element))
    }
    if let block = inline.take() { blocks.append(block) }
    return blocks
  }

  static func renderBlock(_ element: HTMLElement) -> [[UInt8]] {
    switch element.name {
    case "pre":
      return [fenced(element)]
    case "hr":
      return [Array("---".utf8)]
    case "blockquote":
      let inner = join(renderBlocks(element.children), separator: [0x0A, 0x0A])
      return inner.isEmpty
        ? [] : [prefixLines(inner, first: Array("> ".utf8), rest: Array("> ".utf8))]
    case "ul", "ol":
      return list(element).map { [$0] } ?? []
    case "h1", "h2", "h3", "h4", "h5", "h6":
      let level = Int(element.name.dropFirst())!
      let inner = join(renderBlocks(element.children), separator: [0x20])
      return inner.isEmpty
        ? [] : [Array(String(repeating: "#", count: level).utf8) + [0x20] + inner]
    case "table", "thead", "tbody", "tfoot":
      let rows = renderBlocks(element.children)
      return rows.isEmpty ? [] : [join(rows, separator: [0x0A])]
    case "tr":
      let cells = element.children.compactMap { node -> [UInt8]? in
        guard case .element(let cell) = node else { return nil }
        return join(renderBlocks(cell.children), separator: [0x20])
      }
      return cells.isEmpty ? [] : [join(cells, separator: Array(" | ".utf8))]
    default:
      return renderBlocks(element.children)
    }
  }

  /// `<ul>`/`<ol>` → one block of `- item` / `n. item` lines; nested content is indented.
  static func list(_ element: HTMLElement) -> [UInt8]? {
    var lines: [[UInt8]] = []
    var number = Int(element.attributes["start"] ?? "") ?? 1
    for case .element(let item) in element.children where item.name == "li" {
      let marker = Array((element.name == "ol" ? "\(number). " : "- ").utf8)
      number += 1
      let inner = join(renderBlocks(item.children), separator: [0x0A, 0x0A])
      let indent = [UInt8](repeating: 0x20, count: marker.count)
      lines.append(prefixLines(inner, first: marker, rest: indent))
    }
    return lines.isEmpty ? nil : join(lines, separator: [0x0A])
  }

  /// `<pre>` content verbatim (tags dropped, entities already decoded) in a ``` fence.
  static func fenced(_ element: HTMLElement) -> [UInt8] {
    var code: [UInt8] = []
    rawText(of: .element(element), into: &code)
    return fence(code)
  }

  /// Raw `<pre>` text in a ``` fence.
  static func fence(_ code: [UInt8]) -> [UInt8] {
    // CRLF and lone CR become LF; one leading newline is not content (HTML rule); trailing ones go.
    var normalized: [UInt8] = []
    normalized.reserveCapacity(code.count)
    var index = 0
    while index < code.count {
      if code[index] == 0x0D {
        normalized.append(0x0A)
        if index + 1 < code.count, code[index + 1] == 0x0A { index += 1 }
      } else {
        normalized.append(code[index])
      }
      index += 1
    }
    if normalized.first == 0x0A { normalized.removeFirst() }
    while normalized.last == 0x0A { normalized.removeLast() }
    return Array("```\n".utf8) + normalized + Array("\n```".utf8)
  }

  static func rawText(of node: HTMLNode, into out: inout [UInt8]) {
    switch node {
    case .text(let bytes): out.append(contentsOf: bytes)
    case .element(let element):
      if element.name == "br" { out.append(0x0A) }
      for child in element.children { rawText(of: child, into: &out) }
    }
  }

  // MARK: - Helpers

  static func join(_ parts: [[UInt8]], separator: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    for (index, part) in parts.enumerated() {
      if index > 0 { out.append(contentsOf: separator) }
      out.append(contentsOf: part)
    }
    return out
  }

  /// Prefixes the first line with `first` and every later line with `rest` (empty lines get the
  /// prefix without its trailing spaces, so no line ends in a space).
  static func prefixLines(_ text: [UInt8], first: [UInt8], rest: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
    for (index, line) in lines.enumerated() {
      if index > 0 { out.append(0x0A) }
      let prefix = index == 0 ? first : rest
      if line.isEmpty {
        var trimmed = prefix[...]
        while trimmed.last == 0x20 { trimmed = trimmed.dropLast() }
        out.append(contentsOf: trimmed)
      } else {
        out.append(contentsOf: prefix)
        out.append(contentsOf: line)
      }
    }
    return out
  }
}
