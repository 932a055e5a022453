// Deterministic compact JSON output: members in the order given, no spaces, strings escaped minimally
// (`"` `\` and control characters; everything else is written as UTF-8, `/` is not escaped), so the
// same value always gives the same bytes. `pretty` adds two-space indentation for human-facing files.

/// Writes `JSONValue`s as UTF-8 bytes.
///
///     JSONWriter.string(.object([("a", .int(1))]))   // {"a":1}
public enum JSONWriter {
  /// Appends the compact encoding of `value` to `out`.
  public static func write(_ value: JSONValue, into out: inout [UInt8]) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let text): out.append(contentsOf: text.utf8)
    case .string(let s): writeString(s, into: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (k, item) in items.enumerated() {
        if k > 0 { out.append(UInt8(ascii: ",")) }
        write(item, into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (k, member) in members.enumerated() {
        if k > 0 { out.append(UInt8(ascii: ",")) }
        writeString(member.key, into: &out)
        out.append(UInt8(ascii: ":"))
        write(member.value, into: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// Appends an indented encoding (two spaces per level, one member per line) and no final newline.
  public static func writePretty(_ value: JSONValue, indent: Int = 0, into out: inout [UInt8]) {
    func pad(_ level: Int) { out.append(contentsOf: [UInt8](repeating: 0x20, count: 2 * level)) }
    switch value {
    case .array(let items) where !items.isEmpty:
      out.append(UInt8(ascii: "["))
      for (k, item) in items.enumerated() {
        out.append(contentsOf: (k > 0 ? ",\n" : "\n").utf8)
        pad(indent + 1)
        writePretty(item, indent: indent + 1, into: &out)
      }
      out.append(UInt8(ascii: "\n"))
      pad(indent)
      out.append(UInt8(ascii: "]"))
    case .object(let members) where !members.isEmpty:
      out.append(UInt8(ascii: "{"))
      for (k, member) in members.enumerated() {
        out.append(contentsOf: (k > 0 ? ",\n" : "\n").utf8)
        pad(indent + 1)
        writeString(member.key, into: &out)
        out.append(contentsOf: ": ".utf8)
        writePretty(member.value, indent: indent + 1, into: &out)
      }
      out.append(UInt8(ascii: "\n"))
      pad(indent)
      out.append(UInt8(ascii: "}"))
    default:
      write(value, into: &out)
    }
  }

  /// The compact encoding as bytes.
  public static func bytes(_ value: JSONValue) -> [UInt8] {
    var out: [UInt8] = []
    write(value, into: &out)
    return out
  }

  /// The compact encoding as a String.
  public static func string(_ value: JSONValue) -> String {
    String(decoding: bytes(value), as: UTF8.self)
  }

  /// The indented encoding as a String, ending with a newline.
  public static func prettyString(_ value: JSONValue) -> String {
    var out: [UInt8] = []
    writePretty(value, into: &out)
    out.append(UInt8(ascii: "\n"))
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends `s` as a JSON string literal.
  ///
  /// Performance notes (2026-12-03): runs of bytes that need no escape are found 16 at a time
  /// (SIMD16 compares) and appended in one copy; only `"`, `\\` and control bytes go through
  /// `appendEscape`. Same bytes as `writeStringReference` (tested).
  public static func writeString(_ s: String, into out: inout [UInt8]) {
    var s = s
    s.withUTF8 { writeString(bytes: $0, into: &out) }
  }

  /// Appends UTF-8 `text` (already valid) as a JSON string literal; same bytes as `writeString(_:)`.
  public static func writeString(bytes text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    do {
      guard let base = text.baseAddress else {
        out.append(UInt8(ascii: "\""))
        return
      }
      let raw = UnsafeRawPointer(base)
      let count = text.count
      var runStart = 0
      var i = 0
      let quote = SIMD16<UInt8>(repeating: 0x22)
      let backslash = SIMD16<UInt8>(repeating: 0x5C)
      let space = SIMD16<UInt8>(repeating: 0x20)
      while i < count {
        if i + 16 <= count {
          let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
          if !anyLane((v .== quote) .| (v .== backslash) .| (v .< space)) {
            i += 16
            continue
          }
        }
        let byte = text[i]
        if byte == 0x22 || byte == 0x5C || byte < 0x20 {
          out.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<i]))
          appendEscape(byte, into: &out)
          runStart = i + 1
        }
        i += 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<count]))
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Appends the escape of one byte that must not appear raw in a JSON string.
  private static func appendEscape(_ byte: UInt8, into out: inout [UInt8]) {
    switch byte {
    case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
    case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
    case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
    case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
    case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
    case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
    case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
    default:
      let hex: [UInt8] = Array("0123456789abcdef".utf8)
      out.append(contentsOf: [
        0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
      ])
    }
  }

  /// The byte-by-byte escaper: the reference `writeString` is tested against.
  static func writeStringReference(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in s.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
      case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
      case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
      case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [
          0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
        ])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
