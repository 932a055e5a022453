// A forgiving HTML fragment parser for Stack Exchange post bodies: UTF-8 bytes → a small tree.
// Bodies are HTML, not XML (`&nbsp;`, `<br>`, unclosed `<p>`; KNOWN-FAULTS K09), so parsing never
// fails: an end tag with no open element is ignored, void elements take no children, a new `<p>`
// or block closes an open `<p>`, a new `<li>` closes the open one. Entities are decoded here, once.

/// One node of a parsed HTML fragment.
public enum HTMLNode: Equatable, Sendable {
  /// Character data, entities decoded, whitespace as written (UTF-8).
  case text([UInt8])
  /// An element.
  case element(HTMLElement)
}

/// An element: lowercased tag name, attributes (values decoded), children.
public struct HTMLElement: Equatable, Sendable {
  public var name: String
  public var attributes: [String: String]
  public var children: [HTMLNode]

  /// Makes an element (tests build expected trees with this).
  public init(_ name: String, attributes: [String: String] = [:], children: [HTMLNode] = []) {
    self.name = name
    self.attributes = attributes
    self.children = children
  }
}

/// Parses HTML fragments into `HTMLNode` trees.
public enum HTMLFragment {
  /// Elements that never have content.
  static let voidElements: Set<String> = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
  ]
  /// Elements that close an open `<p>` when they start (HTML's implied `</p>`).
  static let closesParagraph: Set<String> = [
    "p", "div", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "table", "dl",
  ]

  /// Parses `html` (UTF-8) into its top-level nodes.
  ///
  /// `"<p>a<br>b</p><p>c"` → `[p[text a, br, text b], p[text c]]`; `"a < b"` stays text.
  /// - Complexity: O(n · d) for n bytes and nesting depth d.
  public static func parse(_ html: UnsafeBufferPointer<UInt8>) -> [HTMLNode] {
    var builder = Builder()
    var scanner = TagScanner(bytes: html)
    var textStart = 0
    while let open = scanner.nextOpenBracket() {
      let tag = scanner.scanTag(at: open)
      guard case .some(let found) = tag else { continue }  // a lone `<` is text
      if open > textStart { builder.text(html, textStart..<open) }
      switch found {
      case .comment: break
      case .end(let name): builder.close(name)
      case .start(let name, let attributes, let selfClosing):
        builder.open(name, attributes: attributes, void: selfClosing || voidElements.contains(name))
      }
      textStart = scanner.position
    }
    if html.count > textStart { builder.text(html, textStart..<html.count) }
    return builder.finish()
  }

  /// Parses a `String` (tests).
  public static func parse(_ html: String) -> [HTMLNode] {
    var copy = html
    return copy.withUTF8 { parse($0) }
  }

  /// The open-element stack that turns tags into a tree.
  struct Builder {
    var stack: [HTMLElement] = [HTMLElement("#root")]

    mutating func text(_ html: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
      var decoded: [UInt8] = []
      decoded.reserveCapacity(range.count)
      HTMLEntities.decode(UnsafeBufferPointer(rebasing: html[range]), appendingTo: &decoded)
      stack[stack.count - 1].children.append(.text(decoded))
    }

    mutating func open(_ name: String, attributes: [String: String], void: Bool) {
      if closesParagraph.contains(name), let index = openIndex(of: "p", stoppingAt: []) {
        closeThrough(index)
      }
      if name == "li", let index = openIndex(of: "li", stoppingAt: ["ul", "ol"]) {
        closeThrough(index)
      }
      let element = HTMLElement(name, attributes: attributes)
      if void {
        stack[stack.count - 1].children.append(.element(element))
      } else {
        stack.append(element)
      }
    }

    mutating func close(_ name: String) {
      if let index = openIndex(of: name, stoppingAt: []) { closeThrough(index) }
    }

    /// The stack index of the innermost open `name`, not looking past an element in `barriers`.
    func openIndex(of name: String, stoppingAt barriers: Set<String>) -> Int? {
      var index = stack.count - 1
      while index > 0 {
        if stack[index].name == name { return index }
        if barriers.contains(stack[index].name) { return nil }
        index -= 1
      }
      return nil
    }

    mutating func closeThrough(_ index: Int) {
      while stack.count > index {
        let done = stack.removeLast()
        stack[stack.count - 1].children.append(.element(done))
      }
    }

    mutating func finish() -> [HTMLNode] {
      closeThrough(1)
      return stack[0].children
    }
  }
}
