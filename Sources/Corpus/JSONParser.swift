// A strict RFC 8259 JSON parser over borrowed bytes. It rejects — never repairs — invalid UTF-8,
// lone surrogate escapes, NaN/Infinity, duplicate object keys, control characters in strings,
// leading zeros, trailing garbage and nesting deeper than `maximumDepth`. Errors carry line and
// column (1-based, columns in bytes) relative to `firstLine` so callers can report file positions.

/// Parses JSON text into a `JSONValue`.
///
///     let value = try JSONParser.parse(Array(#"{"prompt":"hi"}"#.utf8), path: "a.jsonl", firstLine: 7)
///
/// - Complexity: O(n) in the input length.
public struct JSONParser {
  /// Nesting deeper than this is rejected (keeps the recursion bounded on hostile input).
  public static let maximumDepth = 512

  private let bytes: UnsafeRawBufferPointer
  private var index = 0
  private let path: String
  private let firstLine: Int
  private var depth = 0

  private init(bytes: UnsafeRawBufferPointer, path: String, firstLine: Int) {
    self.bytes = bytes
    self.path = path
    self.firstLine = firstLine
  }

  /// Parses one complete JSON text (surrounding whitespace allowed, nothing else).
  /// - Throws: `CorpusError.malformedJSON` with the line and column of the first problem.
  public static func parse(
    _ bytes: UnsafeRawBufferPointer, path: String = "<input>", firstLine: Int = 1
  ) throws -> JSONValue {
    var parser = JSONParser(bytes: bytes, path: path, firstLine: firstLine)
    parser.skipWhitespace()
    let value = try parser.parseValue()
    parser.skipWhitespace()
    if parser.index != bytes.count {
      throw parser.error("unexpected data after the JSON value")
    }
    return value
  }

  /// Parses one complete JSON text from an array of bytes.
  public static func parse(_ bytes: [UInt8], path: String = "<input>", firstLine: Int = 1) throws
    -> JSONValue
  {
    try bytes.withUnsafeBytes { try parse($0, path: path, firstLine: firstLine) }
  }

  /// Parses one complete JSON text from a string.
  public static func parse(_ text: String, path: String = "<input>", firstLine: Int = 1) throws
    -> JSONValue
  {
    try parse(Array(text.utf8), path: path, firstLine: firstLine)
  }

  // MARK: - Errors and positions

  /// The line/column of `offset`, computed only when an error is reported (never on the hot path).
  private func location(at offset: Int) -> InputLocation {
    var line = firstLine
    var lineStart = 0
    var i = 0
    while i < offset && i < bytes.count {
      if bytes[i] == UInt8(ascii: "\n") {
        line += 1
        lineStart = i + 1
      }
      i += 1
    }
    return InputLocation(path: path, line: line, column: offset - lineStart + 1)
  }

  private func error(_ detail: String, at offset: Int? = nil) -> CorpusError {
    .malformedJSON(location(at: offset ?? index), detail: detail)
  }

  // MARK: - Grammar

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private mutating func parseValue() throws(CorpusError) -> JSONValue {
    guard index < bytes.count else { throw error("unexpected end of input") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectLiteral("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
    case UInt8(ascii: "N"), UInt8(ascii: "I"):
      throw error("NaN and Infinity are not JSON numbers")
    default:
      throw error("unexpected character '\(Self.printable(bytes[index]))'")
    }
  }

  private mutating func expectLiteral(_ literal: StaticString) throws(CorpusError) {
    let count = literal.utf8CodeUnitCount
    let start = literal.utf8Start
    guard index + count <= bytes.count else { throw error("invalid literal") }
    for k in 0..<count where bytes[index + k] != start[k] {
      throw error("invalid literal")
    }
    index += count
  }

  private mutating func enter() throws(CorpusError) {
    depth += 1
    if depth > Self.maximumDepth { throw error("nesting deeper than \(Self.maximumDepth) levels") }
  }

  private mutating func parseObject() throws(CorpusError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    index += 1  // {
    var members: [(key: String, value: JSONValue)] = []
    var seen = Set<String>()  // used only past `linearKeyLimit` members
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw error(index < bytes.count ? "expected a string key" : "unexpected end of input")
      }
      let keyOffset = index
      let key = try parseString()
      if Self.isDuplicate(key, in: members, seen: &seen) {
        throw error("duplicate key \"\(key)\"", at: keyOffset)
      }
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw error("expected ':' after an object key")
      }
      index += 1
      skipWhitespace()
      let value = try parseValue()
      members.append((key: key, value: value))
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of input in an object") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      throw error("expected ',' or '}' in an object")
    }
  }

  private mutating func parseArray() throws(CorpusError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    index += 1  // [
    var items: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try parseValue())
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of input in an array") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      }
      throw error("expected ',' or ']' in an array")
    }
  }

  /// number = [ "-" ] int [ frac ] [ exp ]; int = "0" / digit1-9 *digit.
  private mutating func parseNumber() throws(CorpusError) -> String {
    let start = index
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, Self.isDigit(bytes[index]) else {
      if index < bytes.count, bytes[index] == UInt8(ascii: "I") {
        throw error("NaN and Infinity are not JSON numbers")
      }
      throw error("a number needs digits")
    }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if index < bytes.count, Self.isDigit(bytes[index]) {
        throw error("leading zeros are not allowed in numbers")
      }
    } else {
      while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < bytes.count, Self.isDigit(bytes[index]) else {
        throw error("a fraction needs digits after '.'")
      }
      while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard index < bytes.count, Self.isDigit(bytes[index]) else {
        throw error("an exponent needs digits")
      }
      while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
  }

  // Performance notes (2026-12-03, 2-core AMD EPYC, release): strings dominate preference records.
  // The scan for the next `"`, `\\` or control byte looks at 16 bytes at a time (SIMD16 compares);
  // the runs between escapes are validated once by the stdlib's `String(validating:)` (word-at-a-time
  // ASCII path) instead of our byte loop. Only when that fails do we re-run the byte-exact
  // `parseStringChecked` below, which is the reference and reports the line/column of the bad byte.
  // Duplicate keys are checked by a linear scan for small objects (no Set per record).

  /// Parses a string starting at its opening quote (fast path; see the performance notes).
  private mutating func parseString() throws(CorpusError) -> String {
    let quoteOffset = index
    index += 1
    let base = bytes.baseAddress!
    var runStart = index
    var out: [UInt8] = []
    var escaped = false
    while true {
      let stop = Self.nextSpecialByte(base, from: index, count: bytes.count)
      guard stop < bytes.count else { throw error("unterminated string") }
      let byte = base.load(fromByteOffset: stop, as: UInt8.self)
      if byte == UInt8(ascii: "\"") {
        index = stop + 1
        let run = UnsafeBufferPointer(
          start: (base + runStart).assumingMemoryBound(to: UInt8.self), count: stop - runStart)
        if !escaped, let text = String(validating: run, as: UTF8.self) { return text }
        if escaped {
          out.append(contentsOf: run)
          if let text = String(validating: out, as: UTF8.self) { return text }
        }
        break
      }
      if byte == UInt8(ascii: "\\") {
        let run = UnsafeRawBufferPointer(start: base + runStart, count: stop - runStart)
        if !escaped { out.reserveCapacity(2 * (stop - runStart) + 16) }
        out.append(contentsOf: run)
        escaped = true
        index = stop
        try parseEscape(into: &out)
        runStart = index
        continue
      }
      break  // a control character: the checked path reports it
    }
    index = quoteOffset
    return try parseStringChecked()
  }

  /// The offset of the first `"`, `\\` or byte < 0x20 at or after `from`, or `count`.
  @inline(__always)
  private static func nextSpecialByte(_ base: UnsafeRawPointer, from: Int, count: Int) -> Int {
    var i = from
    let quote = SIMD16<UInt8>(repeating: 0x22)
    let backslash = SIMD16<UInt8>(repeating: 0x5C)
    let space = SIMD16<UInt8>(repeating: 0x20)
    while i + 16 <= count {
      let v = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
      let hit = (v .== quote) .| (v .== backslash) .| (v .< space)
      if anyLane(hit) { break }
      i += 16
    }
    while i < count {
      let b = base.load(fromByteOffset: i, as: UInt8.self)
      if b == 0x22 || b == 0x5C || b < 0x20 { return i }
      i += 1
    }
    return i
  }

  /// Parses a string byte by byte, validating UTF-8 as it goes (the reference for `parseString`,
  /// and the path that pinpoints errors). Escapes are decoded; surrogate escapes must pair up.
  private mutating func parseStringChecked() throws(CorpusError) -> String {
    index += 1  // opening quote
    var out: [UInt8] = []
    var runStart = index
    while true {
      guard index < bytes.count else { throw error("unterminated string") }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        try appendValidated(from: runStart, to: index, into: &out)
        index += 1
        return String(decoding: out, as: UTF8.self)
      }
      if byte == UInt8(ascii: "\\") {
        try appendValidated(from: runStart, to: index, into: &out)
        try parseEscape(into: &out)
        runStart = index
        continue
      }
      if byte < 0x20 {
        throw error("control character U+00\(Self.hex2(byte)) must be escaped in a string")
      }
      index += 1
    }
  }

  private mutating func parseEscape(into out: inout [UInt8]) throws(CorpusError) {
    index += 1  // backslash
    guard index < bytes.count else { throw error("unterminated escape") }
    let c = bytes[index]
    index += 1
    switch c {
    case UInt8(ascii: "\""): out.append(0x22)
    case UInt8(ascii: "\\"): out.append(0x5C)
    case UInt8(ascii: "/"): out.append(0x2F)
    case UInt8(ascii: "b"): out.append(0x08)
    case UInt8(ascii: "f"): out.append(0x0C)
    case UInt8(ascii: "n"): out.append(0x0A)
    case UInt8(ascii: "r"): out.append(0x0D)
    case UInt8(ascii: "t"): out.append(0x09)
    case UInt8(ascii: "u"):
      let escapeStart = index - 2
      var scalar = try parseHex4()
      if (0xD800...0xDBFF).contains(scalar) {
        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        else { throw error("lone high surrogate escape", at: escapeStart) }
        index += 2
        let low = try parseHex4()
        guard (0xDC00...0xDFFF).contains(low) else {
          throw error("high surrogate escape not followed by a low surrogate", at: escapeStart)
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(scalar) {
        throw error("lone low surrogate escape", at: escapeStart)
      }
      Self.appendUTF8(scalar, to: &out)
    default:
      throw error("invalid escape '\\\(Self.printable(c))'", at: index - 2)
    }
  }

  private mutating func parseHex4() throws(CorpusError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("\\u needs four hex digits") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[index]
      let digit: UInt32
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
      default: throw error("\\u needs four hex digits")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  /// Appends bytes[start..<end] after checking they are well-formed UTF-8 (RFC 3629: no overlongs,
  /// no surrogates, nothing above U+10FFFF). ASCII runs take the fast path.
  private func appendValidated(from start: Int, to end: Int, into out: inout [UInt8])
    throws(CorpusError)
  {
    var i = start
    while i < end {
      let b0 = bytes[i]
      if b0 < 0x80 {
        i += 1
        continue
      }
      let need: Int
      var lower: UInt8 = 0x80
      var upper: UInt8 = 0xBF
      switch b0 {
      case 0xC2...0xDF: need = 1
      case 0xE0: need = 2; lower = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: need = 2
      case 0xED: need = 2; upper = 0x9F
      case 0xF0: need = 3; lower = 0x90
      case 0xF1...0xF3: need = 3
      case 0xF4: need = 3; upper = 0x8F
      default: throw error("invalid UTF-8 byte 0x\(Self.hex2(b0))", at: i)
      }
      guard i + need < end else { throw error("truncated UTF-8 sequence", at: i) }
      let b1 = bytes[i + 1]
      guard b1 >= lower && b1 <= upper else { throw error("invalid UTF-8 sequence", at: i) }
      for k in stride(from: 2, through: need, by: 1) {
        guard bytes[i + k] & 0xC0 == 0x80 else { throw error("invalid UTF-8 sequence", at: i) }
      }
      i += need + 1
    }
    if start < end {
      out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }
  }

  // MARK: - Small helpers

  /// Objects up to this many members check duplicates by a linear scan (records have few keys).
  static let linearKeyLimit = 16

  /// True when `key` is already among `members`; switches to the `seen` set for large objects.
  private static func isDuplicate(
    _ key: String, in members: [(key: String, value: JSONValue)], seen: inout Set<String>
  ) -> Bool {
    if members.count < linearKeyLimit {
      return members.contains { $0.key == key }
    }
    if seen.isEmpty { seen = Set(members.map(\.key)) }
    return !seen.insert(key).inserted
  }

  private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

  private static func hex2(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
  }

  private static func printable(_ b: UInt8) -> String {
    b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + hex2(b)
  }

  /// Appends the UTF-8 encoding of a Unicode scalar value (not a surrogate).
  static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
      out.append(UInt8(scalar))
    case 0x80..<0x800:
      out.append(UInt8(0xC0 | (scalar >> 6)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
      out.append(UInt8(0xE0 | (scalar >> 12)))
      out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
      out.append(UInt8(0xF0 | (scalar >> 18)))
      out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
      out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    }
  }
}
