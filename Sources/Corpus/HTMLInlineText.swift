// Inline layout for HTMLText: runs of ASCII whitespace collapse to one space, `<br>` is a line
// break, links become `[text](url)`, images `![alt](src)`, inline code `` `x` ``; other inline
// elements (em, strong, span, sup …) contribute their text. Output is UTF-8 bytes.

/// Accumulates the inline content of one block.
struct InlineText {
  var bytes: [UInt8] = []
  /// Whitespace was seen after the last byte written; becomes one space before the next word.
  var pendingSpace = false

  mutating func add(_ node: HTMLNode) {
    switch node {
    case .text(let text):
      for byte in text {
        if htmlIsSpace(byte) {
          pendingSpace = true
        } else {
          writeSpaceIfPending()
          bytes.append(byte)
        }
      }
    case .element(let element):
      add(element)
    }
  }

  mutating func add(_ element: HTMLElement) {
    switch element.name {
    case "br":
      bytes.append(0x0A)
      pendingSpace = false
    case "a":
      let (text, leading, trailing) = nested(element.children)
      let href = element.attributes["href"] ?? ""
      if leading { pendingSpace = true }
      if href.isEmpty || Array(href.utf8) == text {
        word(text)
      } else if text.isEmpty {
        word(Array(href.utf8))
      } else {
        word(Array("[".utf8) + text + Array("](".utf8) + Array(href.utf8) + [UInt8(ascii: ")")])
      }
      if trailing { pendingSpace = true }
    case "code", "kbd":
      let (text, leading, trailing) = nested(element.children)
      if leading { pendingSpace = true }
      if !text.isEmpty { word([UInt8(ascii: "`")] + text + [UInt8(ascii: "`")]) }
      if trailing { pendingSpace = true }
    case "img":
      let alt = Array((element.attributes["alt"] ?? "").utf8)
      if let src = element.attributes["src"], !src.isEmpty {
        word(Array("![".utf8) + alt + Array("](".utf8) + Array(src.utf8) + [UInt8(ascii: ")")])
      } else if !alt.isEmpty {
        word(alt)
      }
    case "script", "style":
      break
    default:
      for child in element.children { add(child) }
    }
  }

  /// Lays out `children` on their own; returns the text and whether it began/ended with space.
  func nested(_ children: [HTMLNode]) -> ([UInt8], Bool, Bool) {
    var inner = InlineText()
    for child in children { inner.add(child) }
    let leading = startsWithSpace(children)
    let trailing = inner.pendingSpace
    return (inner.take() ?? [], leading, trailing)
  }

  func startsWithSpace(_ children: [HTMLNode]) -> Bool {
    guard let first = children.first else { return false }
    switch first {
    case .text(let text): return text.first.map(htmlIsSpace) ?? false
    case .element(let element): return startsWithSpace(element.children)
    }
  }

  mutating func word(_ text: [UInt8]) {
    guard !text.isEmpty else { return }
    writeSpaceIfPending()
    bytes.append(contentsOf: text)
  }

  mutating func writeSpaceIfPending() {
    if pendingSpace, let last = bytes.last, last != 0x0A { bytes.append(0x20) }
    pendingSpace = false
  }

  /// The finished block (no trailing spaces on any line, no leading or trailing empty lines),
  /// nil when empty; resets the accumulator.
  mutating func take() -> [UInt8]? {
    defer {
      bytes.removeAll(keepingCapacity: true)
      pendingSpace = false
    }
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
      var trimmed = line[...]
      while trimmed.last == 0x20 { trimmed = trimmed.dropLast() }
      while trimmed.first == 0x20 { trimmed = trimmed.dropFirst() }
      return trimmed
    }
    while lines.first?.isEmpty == true { lines.removeFirst() }
    while lines.last?.isEmpty == true { lines.removeLast() }
    guard !lines.isEmpty else { return nil }
    return HTMLText.join(lines.map { Array($0) }, separator: [0x0A])
  }
}
