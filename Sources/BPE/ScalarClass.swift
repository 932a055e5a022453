// Character classes the pretokenizer patterns test, one byte of flags per Unicode scalar.
//
// Performance notes: the scanners ask for the class of every scalar of every text, so the
// classes of the Basic Multilingual Plane (U+0000–U+FFFF) are computed once into a 64 KiB
// table; scalars above it (emoji, rare CJK) fall back to `Unicode.Scalar.Properties`.

/// Flags describing one Unicode scalar for the pretokenizer regexes (INTEROP.md §3.9).
///
/// `\p{L}` is `letter`, `\p{N}` is `number`, `\s` is `whitespace` (the Unicode White_Space
/// property, as Swift `Regex` and the Rust `regex` crate define it). o200k's two extra classes
/// are `upperish` = `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]` and `lowerish` =
/// `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`. `invalid` marks a byte that does not start a valid UTF-8
/// sequence; the scanners make it a piece of its own (KNOWN-FAULTS K14).
struct ScalarClass: OptionSet, Sendable {
  let rawValue: UInt8
  static let letter = ScalarClass(rawValue: 1)
  static let number = ScalarClass(rawValue: 2)
  static let whitespace = ScalarClass(rawValue: 4)
  static let upperish = ScalarClass(rawValue: 8)
  static let lowerish = ScalarClass(rawValue: 16)
  static let lineBreak = ScalarClass(rawValue: 32)  // exactly \r or \n
  static let invalid = ScalarClass(rawValue: 64)

  /// True for `[^\s\p{L}\p{N}]`: a scalar that is neither whitespace, letter nor number.
  @inline(__always) var isOther: Bool { rawValue & 0b0100_0111 == 0 }

  /// The class of one scalar value, from the Unicode tables (slow; the tables below cache it).
  static func compute(_ value: UInt32) -> ScalarClass {
    guard let scalar = Unicode.Scalar(value) else { return [] }
    var result: ScalarClass = []
    let properties = scalar.properties
    if properties.isWhitespace { result.insert(.whitespace) }
    if value == 0x0A || value == 0x0D { result.insert(.lineBreak) }
    switch properties.generalCategory {
    case .uppercaseLetter, .titlecaseLetter:
      result.formUnion([.letter, .upperish])
    case .lowercaseLetter:
      result.formUnion([.letter, .lowerish])
    case .modifierLetter, .otherLetter:
      result.formUnion([.letter, .upperish, .lowerish])
    case .nonspacingMark, .spacingMark, .enclosingMark:
      result.formUnion([.upperish, .lowerish])
    case .decimalNumber, .letterNumber, .otherNumber:
      result.insert(.number)
    default:
      break
    }
    return result
  }

  /// Classes of U+0000–U+FFFF (surrogates get no flags; they never reach the scanners).
  static let basicPlane: [ScalarClass] = (0..<0x1_0000).map { compute(UInt32($0)) }

  /// The class of `value`, from the table when it is in the Basic Multilingual Plane.
  @inline(__always) static func of(_ value: UInt32) -> ScalarClass {
    if value < 0x1_0000 {
      return basicPlane.withUnsafeBufferPointer { $0[Int(value)] }
    }
    return compute(value)
  }
}

/// A borrowed UTF-8 byte buffer that decodes one scalar at a byte offset, for the scanners.
///
/// Invalid sequences (stray continuation bytes, overlongs, surrogates, truncated sequences,
/// bytes F5–FF) decode as a one-byte scalar of class `invalid`; decoding never traps.
struct UTF8Cursor {
  let base: UnsafePointer<UInt8>
  let count: Int

  /// The scalar value, its class and its length in bytes at offset `i` (`i < count`).
  @inline(__always)
  func scalar(at i: Int) -> (value: UInt32, cls: ScalarClass, length: Int) {
    let b0 = base[i]
    if b0 < 0x80 {
      return (UInt32(b0), ScalarTables.ascii[Int(b0)], 1)
    }
    return decodeMultibyte(at: i, lead: b0)
  }

  @inline(never)
  func decodeMultibyte(at i: Int, lead b0: UInt8) -> (value: UInt32, cls: ScalarClass, length: Int)
  {
    let bad: (UInt32, ScalarClass, Int) = (0xFFFF_FFFF, .invalid, 1)
    func cont(_ k: Int) -> UInt32? {
      guard i + k < count else { return nil }
      let b = base[i + k]
      return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
    }
    if b0 >= 0xC2 && b0 <= 0xDF {
      guard let c1 = cont(1) else { return bad }
      let v = (UInt32(b0 & 0x1F) << 6) | c1
      return (v, ScalarClass.of(v), 2)
    }
    if b0 >= 0xE0 && b0 <= 0xEF {
      guard let c1 = cont(1), let c2 = cont(2) else { return bad }
      let v = (UInt32(b0 & 0x0F) << 12) | (c1 << 6) | c2
      if v < 0x800 || (v >= 0xD800 && v <= 0xDFFF) { return bad }
      return (v, ScalarClass.of(v), 3)
    }
    if b0 >= 0xF0 && b0 <= 0xF4 {
      guard let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) else { return bad }
      let v = (UInt32(b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
      if v < 0x1_0000 || v > 0x10_FFFF { return bad }
      return (v, ScalarClass.of(v), 4)
    }
    return bad
  }
}

/// The ASCII part of the class table, kept separate so the hot path avoids the big table.
enum ScalarTables {
  static let ascii: [ScalarClass] = (0..<128).map { ScalarClass.compute(UInt32($0)) }
}
