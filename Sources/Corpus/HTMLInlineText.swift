// Inline layout for HTMLText: runs of ASCII whitespace collapse to one space, `<br>` is a line
// break, links become `[text](url)`, images `![alt](src)`, inline code `` `x` ``; other inline
// elements (em, strong, span, sup …) contribute their text. Output is UTF-8 bytes.

#if canImport(Glibc)
import Glibc
#endif

/// Accumulates the inline content of one block.
struct InlineText {
  var bytes: [UInt8] = []
  /// Whitespace was seen after the last byte written; becomes one space before the next word.
  var pendingSpace = false

  mutating func add(_ node: HTMLNode) {
    switch node {
    case .text(let text):
      text.withUnsafeBufferPointer { add(text: $0) }
    case .element(let element):
      add(element)
    }
  }

  /// Adds character data (entities decoded): every run of whitespace becomes one pending space.
  /// Words separated by exactly one ASCII space come out as they went in, so such a stretch
  /// (most of running text) is appended in one copy; `addReference` is the word-by-word
  /// statement of the same rule (tests compare them).
  mutating func add(text t: UnsafeBufferPointer<UInt8>) {
    let n = t.count
    var i = 0
    while i < n {
      if htmlIsSpace(t[i]) {
        pendingSpace = true
        i += 1
        continue
      }
      // Stretch from a word start to a word end, crossing single spaces between words. Sixteen
      // bytes at a time while none is below 0x20 (whitespace other than the space, or a control
      // byte: the byte loop decides) and no space is followed by a byte ≤ 0x20.
      var j = i + 1
      if let base = t.baseAddress {
        let raw = UnsafeRawPointer(base)
        let space = SIMD16<UInt8>(repeating: 0x20)
        while j + 17 <= n {
          let v = raw.loadUnaligned(fromByteOffset: j, as: SIMD16<UInt8>.self)
          let next = raw.loadUnaligned(fromByteOffset: j + 1, as: SIMD16<UInt8>.self)
          if anyLane((v .< space) .| ((v .== space) .& (next .<= space))) { break }
          j += 16
        }
      }
      while j < n {
        let byte = t[j]
        if byte == 0x20, j + 1 < n, !htmlIsSpace(t[j + 1]) {
          j += 2
          continue
        }
        if htmlIsSpace(byte) { break }
        j += 1
      }
      writeSpaceIfPending()
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: t[i..<j]))
      i = j
    }
  }

  /// Reference for `add(text:)`: one word at a time.
  mutating func addReference(text t: UnsafeBufferPointer<UInt8>) {
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

  /// `<br>`: a line break; pending whitespace before it is dropped.
  mutating func lineBreak() {
    bytes.append(0x0A)
    pendingSpace = false
  }

  mutating func add(_ element: HTMLElement) {
    switch element.name {
    case "br":
      lineBreak()
    case "a":
      let (text, leading, trailing) = nested(element.children)
      link(text, href: Array((element.attributes["href"] ?? "").utf8), spaced: (leading, trailing))
    case "code", "kbd":
      let (text, leading, trailing) = nested(element.children)
      code(text, spaced: (leading, trailing))
    case "img":
      image(
        alt: Array((element.attributes["alt"] ?? "").utf8),
        src: element.attributes["src"].map { Array($0.utf8) })
    case "script", "style":
      break
    default:
      for child in element.children { add(child) }
    }
  }

  /// A link whose content laid out to `text`: `[text](href)`, or just the text or the URL when
  /// the other is empty or both are the same. `spaced`: the content began / ended with space.
  mutating func link(_ text: [UInt8], href: [UInt8], spaced: (Bool, Bool)) {
    if spaced.0 { pendingSpace = true }
    if href.isEmpty || href == text {
      word(text)
    } else if text.isEmpty {
      word(href)
    } else {
      word(Array("[".utf8) + text + Array("](".utf8) + href + [UInt8(ascii: ")")])
    }
    if spaced.1 { pendingSpace = true }
  }

  /// Inline code whose content laid out to `text`: `` `text` ``.
  mutating func code(_ text: [UInt8], spaced: (Bool, Bool)) {
    if spaced.0 { pendingSpace = true }
    if !text.isEmpty { word([UInt8(ascii: "`")] + text + [UInt8(ascii: "`")]) }
    if spaced.1 { pendingSpace = true }
  }

  /// An image: `![alt](src)`, or the alt text alone without a source.
  mutating func image(alt: [UInt8], src: [UInt8]?) {
    if let src, !src.isEmpty {
      word(Array("![".utf8) + alt + Array("](".utf8) + src + [UInt8(ascii: ")")])
    } else if !alt.isEmpty {
      word(alt)
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
    var out: [UInt8] = []
    return take(appendingTo: &out) ? out : nil
  }

  /// `take`, appending the block to `out` after `separator`; returns false (`out` unchanged)
  /// when the block is empty.
  mutating func take(appendingTo out: inout [UInt8], after separator: [UInt8] = []) -> Bool {
    defer {
      bytes.removeAll(keepingCapacity: true)
      pendingSpace = false
    }
    var wrote = false
    bytes.withUnsafeBufferPointer { b in
      let n = b.count
      var emptyLines = 0  // empty lines since the last written one (kept only if one follows)
      var start = 0
      while start <= n {
        // The line's end: memchr finds the next LF (lines are long, their number small).
        var end = n
        if start < n, let base = b.baseAddress, let found = memchr(base + start, 0x0A, n - start) {
          end = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
        }
        var low = start
        var high = end
        while high > low && b[high - 1] == 0x20 { high -= 1 }
        while low < high && b[low] == 0x20 { low += 1 }
        if low == high {
          emptyLines += 1
        } else {
          if wrote {
            out.append(contentsOf: repeatElement(0x0A, count: emptyLines + 1))
          } else {
            if out.isEmpty { out.reserveCapacity(n) }
            out.append(contentsOf: separator)
            wrote = true
          }
          out.append(contentsOf: UnsafeBufferPointer(rebasing: b[low..<high]))
          emptyLines = 0
        }
        start = end + 1
      }
    }
    return wrote
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
