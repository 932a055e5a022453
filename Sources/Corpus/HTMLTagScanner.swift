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

/// A tag as byte ranges of the scanned buffer (names not yet lowercased, values not yet decoded).
/// `TagScanner.scanRawTag` fills it without allocating; `scanTag` turns it into an `HTMLTag`.
struct RawTag {
  enum Kind { case start, end, comment }
  var kind: Kind
  /// The tag name as written (empty for comments).
  var name: Range<Int>
  var selfClosing: Bool
}

/// One attribute of the last raw tag: its name as written and its raw value (nil: no `=`, the
/// value is "").
struct RawAttribute {
  var name: Range<Int>
  var value: Range<Int>?
}

/// Finds tags in a byte buffer; `position` is the index after the last token scanned.
struct TagScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0
  /// The attributes of the last tag `scanRawTag` returned, in source order (storage reused).
  var attributes: [RawAttribute] = []

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// The index of the next `<` at or after `position`, nil at the end.
  mutating func nextOpenBracket() -> Int? {
    while position < bytes.count {
      if bytes[position] == UInt8(ascii: "<") { return position }
      position += 1
    }
    return nil
  }

  /// Scans the token at `open` (a `<`). On success `position` moves past it; on nil it moves
  /// one byte on, so the `<` stays text. Names lowercased, attribute values decoded; the first
  /// of two attributes with the same name wins.
  mutating func scanTag(at open: Int) -> HTMLTag? {
    guard let tag = scanRawTag(at: open) else { return nil }
    switch tag.kind {
    case .comment: return .comment
    case .end: return .end(name: name(tag.name))
    case .start:
      var attributes: [String: String] = [:]
      for attribute in self.attributes {
        let key = name(attribute.name)
        if attributes[key] == nil { attributes[key] = value(attribute.value) }
      }
      return .start(name: name(tag.name), attributes: attributes, selfClosing: tag.selfClosing)
    }
  }

  /// `scanTag` without building Strings: the same tokens and the same `position` afterwards;
  /// attributes (of start and end tags) land in `attributes`.
  mutating func scanRawTag(at open: Int) -> RawTag? {
    attributes.removeAll(keepingCapacity: true)
    position = open + 1
    guard position < bytes.count else { return nil }
    let first = bytes[position]
    if first == UInt8(ascii: "!") || first == UInt8(ascii: "?") {
      guard skipDeclaration(open: open) != nil else { return nil }
      return RawTag(kind: .comment, name: 0..<0, selfClosing: false)
    }
    let isEnd = first == UInt8(ascii: "/")
    if isEnd { position += 1 }
    guard position < bytes.count, htmlIsLetter(bytes[position]) else {
      position = open + 1
      return nil
    }
    let name = scanNameRange()
    let kind: RawTag.Kind = isEnd ? .end : .start
    while true {
      skipSpace()
      guard position < bytes.count else {
        position = open + 1
        return nil
      }
      let byte = bytes[position]
      if byte == UInt8(ascii: ">") {
        position += 1
        return RawTag(kind: kind, name: name, selfClosing: false)
      }
      if byte == UInt8(ascii: "/"), position + 1 < bytes.count,
        bytes[position + 1] == UInt8(ascii: ">")
      {
        position += 2
        return RawTag(kind: kind, name: name, selfClosing: !isEnd)
      }
      if byte == UInt8(ascii: "/") {
        position += 1
        continue
      }
      let attribute = scanNameRange()
      guard !attribute.isEmpty else {
        position += 1
        continue
      }
      skipSpace()
      var value: Range<Int>? = nil
      if position < bytes.count, bytes[position] == UInt8(ascii: "=") {
        position += 1
        skipSpace()
        guard let scanned = scanValueRange() else {
          position = open + 1
          return nil
        }
        value = scanned
      }
      attributes.append(RawAttribute(name: attribute, value: value))
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

  /// A tag or attribute name: up to whitespace, `/`, `>`, `=`.
  mutating func scanNameRange() -> Range<Int> {
    let start = position
    while position < bytes.count {
      let byte = bytes[position]
      if htmlIsSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
        || byte == UInt8(ascii: "=")
      {
        break
      }
      position += 1
    }
    return start..<position
  }

  /// The name at `range`, lowercased. Names that are already lowercase ASCII (nearly all) skip
  /// `lowercased()`, which would only copy them.
  func name(_ range: Range<Int>) -> String {
    let raw = UnsafeBufferPointer(rebasing: bytes[range])
    let name = String(decoding: raw, as: UTF8.self)
    let needsLowering = raw.contains { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) }
    return needsLowering ? name.lowercased() : name
  }

  /// A quoted or unquoted attribute value (without its quotes); nil when a quote is never closed.
  mutating func scanValueRange() -> Range<Int>? {
    guard position < bytes.count else { return nil }
    let quote = bytes[position]
    if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
      let start = position + 1
      var index = start
      while index < bytes.count, bytes[index] != quote { index += 1 }
      guard index < bytes.count else { return nil }
      position = index + 1
      return start..<index
    }
    let start = position
    while position < bytes.count, !htmlIsSpace(bytes[position]),
      bytes[position] != UInt8(ascii: ">")
    {
      position += 1
    }
    return start..<position
  }

  /// The entity-decoded value at `range` ("" for nil: an attribute without `=`).
  func value(_ range: Range<Int>?) -> String {
    guard let range else { return "" }
    let raw = UnsafeBufferPointer(rebasing: bytes[range])
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
