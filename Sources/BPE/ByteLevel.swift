// GPT-2's byte ↔ unicode map ("bytes_to_unicode", INTEROP.md §3.3).
//
// Byte-level BPE files store every token as a string of visible characters: each byte maps to
// one character. Bytes 0x21–0x7E, 0xA1–0xAC and 0xAE–0xFF map to the same code point; the other
// 68 bytes, in increasing order, map to U+0100…U+0143 (space → "Ġ" U+0120, "\n" → "Ċ" U+010A).

/// The GPT-2 byte-level alphabet.
public enum ByteLevel {
  /// `character[b]` is the code point that byte `b` maps to.
  public static let character: [Unicode.Scalar] = {
    var table = [Unicode.Scalar](repeating: " ", count: 256)
    var next: UInt32 = 0x100
    for b in 0..<256 {
      if isPrintable(UInt8(b)) {
        table[b] = Unicode.Scalar(UInt8(b))
      } else {
        table[b] = Unicode.Scalar(next)!
        next += 1
      }
    }
    return table
  }()

  /// The 256 bytes in the order of their mapped code points: "printables first (188), then
  /// the 68 others". This is GPT-2's id order for ids 0–255 and the order in which the
  /// Hugging Face trainer adds the alphabet after the special tokens.
  public static let bytesInAlphabetOrder: [UInt8] =
    (0..<256).map { UInt8($0) }.sorted { character[Int($0)].value < character[Int($1)].value }

  /// True for the bytes that map to themselves.
  public static func isPrintable(_ b: UInt8) -> Bool {
    (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
  }

  /// The visible string of `bytes` (`[0x20, 0x68, 0x69]` → `"Ġhi"`).
  public static func encode(_ bytes: some Sequence<UInt8>) -> String {
    var scalars = String.UnicodeScalarView()
    for b in bytes { scalars.append(character[Int(b)]) }
    return String(scalars)
  }

  /// The bytes of a visible string, or nil when a character is outside the alphabet.
  public static func decode(_ text: String) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      guard let b = byte(of: scalar) else { return nil }
      out.append(b)
    }
    return out
  }

  /// The byte that `scalar` stands for, or nil.
  public static func byte(of scalar: Unicode.Scalar) -> UInt8? {
    let v = scalar.value
    if v < 256 {
      return isPrintable(UInt8(v)) ? UInt8(v) : nil
    }
    if v >= 0x100 && v < 0x144 { return unprintable[Int(v - 0x100)] }
    return nil
  }

  private static let unprintable: [UInt8] = (0..<256).map { UInt8($0) }.filter { !isPrintable($0) }
}
