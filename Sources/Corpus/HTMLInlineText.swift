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
      // Word by word: each run of non-space bytes is appended at once.
      text.withUnsafeBufferPointer { t in
        var i = 0
        while i < t.count {
          if htmlIsSpace(t[i]) {
            pendingSpace = true
            i += 1
            continue
          }
          var j = i + 1
          while j < t.count && !htmlIsSpace(t[j]) { j += 1 }
          writeSpaceIfPending()
          bytes.append(contentsOf: UnsafeBufferPointer(rebasing: t[i..<j]))
          i = j
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
  /// nil when empty; resets the accumulator. One pass over the bytes; `takeReference` is the
  /// plain split/trim/join statement of the same rule (tests compare them).
  mutating func take() -> [UInt8]? {
    defer {
      bytes.removeAll(keepingCapacity: true)
      pendingSpace = false
    }
    var out: [UInt8] = []
    bytes.withUnsafeBufferPointer { b in
      let n = b.count
      var emptyLines = 0  // empty lines since the last written one (kept only if one follows)
      var start = 0
      while start <= n {
        var end = start
        while end < n && b[end] != 0x0A { end += 1 }
        var low = start
        var high = end
        while high > low && b[high - 1] == 0x20 { high -= 1 }
        while low < high && b[low] == 0x20 { low += 1 }
        if low == high {
          emptyLines += 1
        } else {
          if out.isEmpty {
            out.reserveCapacity(n)
          } else {
            out.append(contentsOf: repeatElement(0x0A, count: emptyLines + 1))
          }
          out.append(contentsOf: UnsafeBufferPointer(rebasing: b[low..<high]))
          emptyLines = 0
        }
        start = end + 1
      }
    }
    return out.isEmpty ? nil : out
  }

  /// Reference for `take` (same result, without resetting): split into lines, trim spaces, drop
  /// leading and trailing empty lines, join with LF.
  func takeReference() -> [UInt8]? {
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
