// FlatRecord.swift — the byte-level fast path's scanner: one pass over a JSONL line that is a flat
// object (string, number, true/false/null values) with unescaped, unique keys, whose strings are
// valid UTF-8 and use only the escapes our writer itself produces (\" \\ \n \r \t \b \f, \u00xx for
// other control bytes). For such a line the raw bytes of every value are exactly what JSONWriter
// would write, so values can be copied and decoded without building Strings or a JSONValue.
// Anything else — nesting, other escapes, syntax errors, duplicates — returns false and the record
// takes the general path (JSONParser + adapter), which is the reference and reports errors.

#if canImport(Glibc)
import Glibc
#endif

/// One member of a scanned flat object; offsets are into the line.
struct FlatField {
  var keyStart = 0
  var keyEnd = 0
  /// The value's raw bytes (strings include their quotes).
  var valueStart = 0
  var valueEnd = 0
  var isString = false
  var hasEscapes = false
  /// For strings: the byte length after decoding escapes.
  var decodedLength = 0
}

/// Scans flat JSON objects (see the file header); reuses its field array between lines.
struct FlatRecordScanner {
  private(set) var fields: [FlatField] = []

  /// Scans `line`; false means "not for the fast path" (never an error by itself).
  mutating func scan(_ line: UnsafeRawBufferPointer) -> Bool {
    fields.removeAll(keepingCapacity: true)
    guard let base = line.baseAddress else { return false }
    let count = line.count
    var i = Self.skipSpace(base, 0, count)
    guard i < count, base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "{") else {
      return false
    }
    i = Self.skipSpace(base, i + 1, count)
    if i < count && base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "}") {
      return Self.skipSpace(base, i + 1, count) == count
    }
    while true {
      var field = FlatField()
      guard i < count, base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "\"") else {
        return false
      }
      guard let keyEnd = Self.scanString(base, i, count), !keyEnd.escaped else { return false }
      field.keyStart = i + 1
      field.keyEnd = keyEnd.end - 1
      for other in fields
      where Self.equal(base, other.keyStart, other.keyEnd, field.keyStart, field.keyEnd) {
        _ = other
        return false
      }
      i = Self.skipSpace(base, keyEnd.end, count)
      guard i < count, base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: ":") else {
        return false
      }
      i = Self.skipSpace(base, i + 1, count)
      guard i < count else { return false }
      field.valueStart = i
      if base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "\"") {
        guard let end = Self.scanString(base, i, count) else { return false }
        field.isString = true
        field.hasEscapes = end.escaped
        field.decodedLength = end.end - i - 2 - end.saved
        i = end.end
      } else {
        guard let end = Self.scanScalar(base, i, count) else { return false }
        i = end
      }
      field.valueEnd = i
      fields.append(field)
      i = Self.skipSpace(base, i, count)
      guard i < count else { return false }
      let separator = base.load(fromByteOffset: i, as: UInt8.self)
      if separator == UInt8(ascii: ",") {
        i = Self.skipSpace(base, i + 1, count)
        continue
      }
      guard separator == UInt8(ascii: "}") else { return false }
      return Self.skipSpace(base, i + 1, count) == count
    }
  }

  /// The field whose key is `name`, if any.
  func field(_ name: StaticString, in line: UnsafeRawBufferPointer) -> FlatField? {
    let key = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
    for f in fields where f.keyEnd - f.keyStart == key.count {
      if memcmp(line.baseAddress! + f.keyStart, key.baseAddress!, key.count) == 0 { return f }
    }
    return nil
  }

  // MARK: - Lexing

  @inline(__always)
  static func skipSpace(_ base: UnsafeRawPointer, _ from: Int, _ count: Int) -> Int {
    var i = from
    while i < count {
      let b = base.load(fromByteOffset: i, as: UInt8.self)
      if b != 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { break }
      i += 1
    }
    return i
  }

  static func equal(_ base: UnsafeRawPointer, _ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int) -> Bool {
    a1 - a0 == b1 - b0 && memcmp(base + a0, base + b0, a1 - a0) == 0
  }

  /// Scans a string starting at its quote: returns the offset after the closing quote and whether it
  /// had escapes, or nil when it is invalid or uses an escape our writer would not produce.
  static func scanString(_ base: UnsafeRawPointer, _ quote: Int, _ count: Int) -> (
    end: Int, escaped: Bool, saved: Int
  )? {
    var i = quote + 1
    var escaped = false
    var saved = 0  // bytes the escapes take beyond their decoded byte
    // Where the current run's first 16-byte chunk (or byte) with a byte ≥ 0x80 starts. Everything
    // before it is ASCII, so it is a character boundary: validation starts there, and the ASCII
    // prefix is not scanned twice.
    var firstHigh = -1
    let quoteV = SIMD16<UInt8>(repeating: 0x22)
    let backslashV = SIMD16<UInt8>(repeating: 0x5C)
    let spaceV = SIMD16<UInt8>(repeating: 0x20)
    let highV = SIMD16<UInt8>(repeating: 0x80)
    while true {
      while i + 16 <= count {
        let v = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
        // High bytes anywhere in the chunk: validation starts at the chunk (a character boundary,
        // everything before it being ASCII); validating a few ASCII bytes more is harmless.
        if firstHigh < 0 && anyLane(v .>= highV) { firstHigh = i }
        let special = unsafeBitCast(
          (v .== quoteV) .| (v .== backslashV) .| (v .< spaceV), to: SIMD2<UInt64>.self)
        if special[0] | special[1] != 0 {
          // Jump to the first special byte (lanes are 0x00 / 0xFF bytes, little-endian).
          i +=
            special[0] != 0
            ? special[0].trailingZeroBitCount / 8 : 8 + special[1].trailingZeroBitCount / 8
          break
        }
        i += 16
      }
      var b: UInt8 = 0
      while i < count {
        b = base.load(fromByteOffset: i, as: UInt8.self)
        if b == 0x22 || b == 0x5C || b < 0x20 { break }
        if b >= 0x80 && firstHigh < 0 { firstHigh = i }
        i += 1
      }
      guard i < count, b == 0x22 || b == 0x5C else { return nil }
      if firstHigh >= 0 && !UTF8Check.isValid(base + firstHigh, i - firstHigh) { return nil }
      if b == 0x22 { return (i + 1, escaped, saved) }
      guard let length = canonicalEscapeLength(base, i, count) else { return nil }
      escaped = true
      saved += length - 1
      i += length
      firstHigh = -1
    }
  }

  /// The length of the escape at `i` when it is one JSONWriter writes, else nil.
  static func canonicalEscapeLength(_ base: UnsafeRawPointer, _ i: Int, _ count: Int) -> Int? {
    guard i + 1 < count else { return nil }
    switch base.load(fromByteOffset: i + 1, as: UInt8.self) {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "r"),
      UInt8(ascii: "t"), UInt8(ascii: "b"), UInt8(ascii: "f"):
      return 2
    case UInt8(ascii: "u"):
      // \u00xx, lowercase hex, a control byte without a short form.
      guard i + 5 < count, base.load(fromByteOffset: i + 2, as: UInt8.self) == 0x30,
        base.load(fromByteOffset: i + 3, as: UInt8.self) == 0x30,
        let high = lowerHex(base.load(fromByteOffset: i + 4, as: UInt8.self)),
        let low = lowerHex(base.load(fromByteOffset: i + 5, as: UInt8.self))
      else { return nil }
      let value = high << 4 | low
      guard value < 0x20, ![0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(value) else { return nil }
      return 6
    default:
      return nil
    }
  }

  static func lowerHex(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
    default: return nil
    }
  }

  /// Scans `true`, `false`, `null` or an RFC 8259 number; returns the end offset or nil.
  static func scanScalar(_ base: UnsafeRawPointer, _ start: Int, _ count: Int) -> Int? {
    func at(_ k: Int) -> UInt8 { k < count ? base.load(fromByteOffset: k, as: UInt8.self) : 0 }
    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    for literal in ["true", "false", "null"] as [StaticString] {
      let n = literal.utf8CodeUnitCount
      if start + n <= count && memcmp(base + start, literal.utf8Start, n) == 0 { return start + n }
    }
    var i = start
    if at(i) == UInt8(ascii: "-") { i += 1 }
    if at(i) == UInt8(ascii: "0") {
      i += 1
    } else if isDigit(at(i)) {
      while isDigit(at(i)) { i += 1 }
    } else {
      return nil
    }
    if at(i) == UInt8(ascii: ".") {
      i += 1
      guard isDigit(at(i)) else { return nil }
      while isDigit(at(i)) { i += 1 }
    }
    if at(i) == UInt8(ascii: "e") || at(i) == UInt8(ascii: "E") {
      i += 1
      if at(i) == UInt8(ascii: "+") || at(i) == UInt8(ascii: "-") { i += 1 }
      guard isDigit(at(i)) else { return nil }
      while isDigit(at(i)) { i += 1 }
    }
    // A number must end at a delimiter (a digit after a leading zero is not one).
    let next = at(i)
    guard
      i == count || next == 0x2C || next == 0x7D || next == 0x20 || next == 0x09 || next == 0x0A
        || next == 0x0D
    else { return nil }
    return i
  }

  /// Appends the decoded bytes of a fast-path string value (raw range including quotes).
  static func decode(_ base: UnsafeRawPointer, _ start: Int, _ end: Int, into out: inout [UInt8]) {
    var i = start + 1
    let stop = end - 1
    var runStart = i
    while i < stop {
      guard let hit = memchr(base + i, 0x5C, stop - i) else { break }
      i = base.distance(to: UnsafeRawPointer(hit))
      out.appendBytes(base + runStart, count: i - runStart)
      let c = base.load(fromByteOffset: i + 1, as: UInt8.self)
      switch c {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "u"):
        out.append(
          lowerHex(base.load(fromByteOffset: i + 4, as: UInt8.self))! << 4
            | lowerHex(base.load(fromByteOffset: i + 5, as: UInt8.self))!)
        i += 4
      default: out.append(c)  // \" or \\
      }
      i += 2
      runStart = i
    }
    out.appendBytes(base + runStart, count: stop - runStart)
  }
}

extension FlatRecordScanner {
  /// Whether a fast-path string value decodes to whitespace only, by Unicode's White_Space as
  /// the general path's `RecordPipeline.isBlank` (a text starting with "“" or "🤗" used to leave
  /// the fast path here: 1.4 % of the benchmark's records, 7 % of its instructions).
  static func isBlankRaw(_ base: UnsafeRawPointer, _ start: Int, _ end: Int) -> Bool {
    var i = start + 1
    let stop = end - 1
    while i < stop {
      let b = base.load(fromByteOffset: i, as: UInt8.self)
      if b == 0x20 {
        i += 1
        continue
      }
      if b >= 0x80 {
        guard let length = whitespaceScalarLength(base + i, stop - i) else { return false }
        i += length
        continue
      }
      if b != 0x5C { return false }
      let c = base.load(fromByteOffset: i + 1, as: UInt8.self)
      switch c {
      case UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"), UInt8(ascii: "f"): i += 2
      case UInt8(ascii: "u"):
        // \u000b (vertical tab) is whitespace; other control bytes are not.
        guard base.load(fromByteOffset: i + 5, as: UInt8.self) == UInt8(ascii: "b"),
          base.load(fromByteOffset: i + 4, as: UInt8.self) == UInt8(ascii: "0")
        else { return false }
        i += 6
      default: return false
      }
    }
    return true
  }
}

extension FlatRecordScanner {
  /// The byte length of the character at `p` (valid UTF-8, at most `count` bytes) when it is
  /// White_Space, else nil.
  static func whitespaceScalarLength(_ p: UnsafeRawPointer, _ count: Int) -> Int? {
    let b0 = UInt32(p.load(as: UInt8.self))
    func continuation(_ k: Int) -> UInt32 {
      UInt32(p.load(fromByteOffset: k, as: UInt8.self) & 0x3F)
    }
    let value: UInt32
    let length: Int
    switch b0 {
    case 0..<0x80: (value, length) = (b0, 1)
    case 0xC0..<0xE0 where count >= 2: (value, length) = ((b0 & 0x1F) << 6 | continuation(1), 2)
    case 0xE0..<0xF0 where count >= 3:
      (value, length) = ((b0 & 0x0F) << 12 | continuation(1) << 6 | continuation(2), 3)
    case 0xF0..<0xF8 where count >= 4:
      (value, length) = (
        (b0 & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3), 4
      )
    default: return nil
    }
    guard let scalar = Unicode.Scalar(value), scalar.properties.isWhitespace else { return nil }
    return length
  }
}

/// True when any lane of a 16-byte comparison is set (a plain OR of the two halves: the generic
/// `any()` was not inlined and showed up at 4% of ingest time).
@inline(__always)
func anyLane(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
  let halves = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
  return halves[0] | halves[1] != 0
}

/// UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), with a
/// 16-bytes-at-a-time ASCII path. Same rules as JSONParser's checked path (tested).
enum UTF8Check {
  static func isValid(_ p: UnsafeRawPointer, _ count: Int) -> Bool {
    var i = 0
    let high = SIMD16<UInt8>(repeating: 0x80)
    while i < count {
      if i + 16 <= count {
        let v = p.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
        if !anyLane((v & high) .!= SIMD16<UInt8>(repeating: 0)) {
          i += 16
          continue
        }
      }
      let b0 = p.load(fromByteOffset: i, as: UInt8.self)
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
      default: return false
      }
      guard i + need < count else { return false }
      let b1 = p.load(fromByteOffset: i + 1, as: UInt8.self)
      guard b1 >= lower && b1 <= upper else { return false }
      var k = 2
      while k <= need {
        guard p.load(fromByteOffset: i + k, as: UInt8.self) & 0xC0 == 0x80 else { return false }
        k += 1
      }
      i += need + 1
    }
    return true
  }
}
