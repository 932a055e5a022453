// Tag recognition for HTMLFragment: start tags with attributes, end tags, comments and
// declarations, over UTF-8 bytes. Names are ASCII and lowercased; attribute values are
// entity-decoded. A `<` that does not start a well-formed tag is reported as nil (plain text).

/// One markup token found at a `<`.
enum HTMLTag: Equatable {
  case start(name: String, attributes: [String: String], selfClosing: Bool)
  case end(name: String)
  /// `<!-- … -->`, `<!DOCTYPE …>`, `<?…?>`: skipped.
  case comment
}

/// Finds tags in a byte buffer; `position` is the index after the last token scanned.
struct TagScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0

  /// The index of the next `<` at or after `position`, nil at the end.
  mutating func nextOpenBracket() -> Int? {
    while position < bytes.count {
      if bytes[position] == UInt8(ascii: "<") { return position }
      position += 1
    }
    return nil
  }

  /// Scans the token at `open` (a `<`). On success `position` moves past it; on nil it moves
  /// one byte on, so the `<` stays text.
  mutating func scanTag(at open: Int) -> HTMLTag? {
    position = open + 1
    guard position < bytes.count else { return nil }
    let first = bytes[position]
    if first == UInt8(ascii: "!") || first == UInt8(ascii: "?") {
      return skipDeclaration(open: open)
    }
    let isEnd = first == UInt8(ascii: "/")
    if isEnd { position += 1 }
    guard position < bytes.count, htmlIsLetter(bytes[position]) else {
      position = open + 1
      return nil
    }
    let name = scanName()
    var attributes: [String: String] = [:]
    while true {
      skipSpace()
      guard position < bytes.count else {
        position = open + 1
        return nil
      }
      let byte = bytes[position]
      if byte == UInt8(ascii: ">") {
        position += 1
        return isEnd
          ? .end(name: name) : .start(name: name, attributes: attributes, selfClosing: false)
      }
      if byte == UInt8(ascii: "/"), position + 1 < bytes.count,
        bytes[position + 1] == UInt8(ascii: ">")
      {
        position += 2
        return isEnd
          ? .end(name: name) : .start(name: name, attributes: attributes, selfClosing: true)
      }
      if byte == UInt8(ascii: "/") {
        position += 1
        continue
      }
      let attribute = scanName()
      guard !attribute.isEmpty else {
        position += 1
        continue
      }
      skipSpace()
      var value = ""
      if position < bytes.count, bytes[position] == UInt8(ascii: "=") {
        position += 1
        skipSpace()
        guard let scanned = scanValue() else {
          position = open + 1
          return nil
        }
        value = scanned
      }
      if attributes[attribute] == nil { attributes[attribute] = value }
    }
  }

  mutating func skipDeclaration(open: Int) -> HTMLTag? {
    let isComment =
      position + 2 < bytes.count && bytes[position] == UInt8(ascii: "!")
      && bytes[position + 1] == UInt8(ascii: "-") && bytes[position + 2] == UInt8(ascii: "-")
    if isComment {
      var index = position + 3
      while index + 2 < bytes.count {
        if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"),
          bytes[index + 2] == UInt8(ascii: ">")
        {
          position = index + 3
          return .comment
        }
        index += 1
      }
      position = bytes.count  // an unclosed comment runs to the end, as in HTML
      return .comment
    }
    while position < bytes.count, bytes[position] != UInt8(ascii: ">") { position += 1 }
    guard position < bytes.count else {
      position = open + 1
      return nil
    }
    position += 1
    return .comment
  }

  /// A tag or attribute name: up to whitespace, `/`, `>`, `=`; lowercased. Names that are already
  /// lowercase ASCII (nearly all) skip `lowercased()`, which would only copy them.
  mutating func scanName() -> String {
    let start = position
    var needsLowering = false
    while position < bytes.count {
      let byte = bytes[position]
      if htmlIsSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
        || byte == UInt8(ascii: "=")
      {
        break
      }
      if byte >= 0x80 || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) {
        needsLowering = true
      }
      position += 1
    }
    let name = String(
      decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    return needsLowering ? name.lowercased() : name
  }

  /// A quoted or unquoted attribute value, entity-decoded; nil when a quote is never closed.
  mutating func scanValue() -> String? {
    guard position < bytes.count else { return nil }
    let quote = bytes[position]
    let start: Int
    let end: Int
    if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
      start = position + 1
      var index = start
      while index < bytes.count, bytes[index] != quote { index += 1 }
      guard index < bytes.count else { return nil }
      end = index
      position = index + 1
    } else {
      start = position
      while position < bytes.count, !htmlIsSpace(bytes[position]),
        bytes[position] != UInt8(ascii: ">")
      {
        position += 1
      }
      end = position
    }
    let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
    // Without `&` there is nothing to decode: make the String straight from the bytes.
    guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
    var decoded: [UInt8] = []
    HTMLEntities.decode(raw, appendingTo: &decoded)
    return String(decoding: decoded, as: UTF8.self)
  }

  mutating func skipSpace() {
    while position < bytes.count, htmlIsSpace(bytes[position]) { position += 1 }
  }
}

@inline(__always) func htmlIsSpace(_ byte: UInt8) -> Bool {
  byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
}

@inline(__always) func htmlIsLetter(_ byte: UInt8) -> Bool {
  (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
}
