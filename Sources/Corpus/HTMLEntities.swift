// HTML character references → UTF-8: the second decoding layer of Stack Exchange bodies
// (FORMATS.md §7, KNOWN-FAULTS K09). The first layer (XML attribute escapes) is undone by libxml2.
// Works on UTF-8 bytes. Numeric references to NUL, surrogates or beyond U+10FFFF give U+FFFD
// (HTML5); an unknown named reference is kept verbatim, never an error (bodies are HTML, not XML).

/// Decodes HTML character references (`&amp;`, `&#39;`, `&#x1F600;`, `&nbsp;` …).
public enum HTMLEntities {
  /// The named references we decode: the XML five, Latin-1 (HTML 4 `HTMLlat1`), and the
  /// typographic, arrow, maths and Greek names seen in Stack Exchange dumps. Others stay as written.
  static let named: [String: Unicode.Scalar] = {
    var table: [String: Unicode.Scalar] = [
      "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
      "ndash": "\u{2013}", "mdash": "\u{2014}", "lsquo": "\u{2018}", "rsquo": "\u{2019}",
      "sbquo": "\u{201A}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "bdquo": "\u{201E}",
      "hellip": "\u{2026}", "bull": "\u{2022}", "prime": "\u{2032}", "Prime": "\u{2033}",
      "lsaquo": "\u{2039}", "rsaquo": "\u{203A}", "trade": "\u{2122}", "euro": "\u{20AC}",
      "larr": "\u{2190}", "uarr": "\u{2191}", "rarr": "\u{2192}", "darr": "\u{2193}",
      "harr": "\u{2194}", "rArr": "\u{21D2}", "lArr": "\u{21D0}", "hArr": "\u{21D4}",
      "ne": "\u{2260}", "le": "\u{2264}", "ge": "\u{2265}", "minus": "\u{2212}",
      "infin": "\u{221E}", "asymp": "\u{2248}", "equiv": "\u{2261}", "sum": "\u{2211}",
      "prod": "\u{220F}", "radic": "\u{221A}", "part": "\u{2202}", "nabla": "\u{2207}",
      "isin": "\u{2208}", "forall": "\u{2200}", "exist": "\u{2203}", "empty": "\u{2205}",
      "and": "\u{2227}", "or": "\u{2228}", "cap": "\u{2229}", "cup": "\u{222A}",
      "int": "\u{222B}", "sub": "\u{2282}", "sup": "\u{2283}", "sube": "\u{2286}",
      "supe": "\u{2287}", "oplus": "\u{2295}", "otimes": "\u{2297}", "perp": "\u{22A5}",
      "sdot": "\u{22C5}", "lceil": "\u{2308}", "rceil": "\u{2309}", "lfloor": "\u{230A}",
      "rfloor": "\u{230B}", "loz": "\u{25CA}", "spades": "\u{2660}", "clubs": "\u{2663}",
      "hearts": "\u{2665}", "diams": "\u{2666}", "dagger": "\u{2020}", "Dagger": "\u{2021}",
      "permil": "\u{2030}", "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}",
      "zwnj": "\u{200C}", "zwj": "\u{200D}", "lrm": "\u{200E}", "rlm": "\u{200F}",
      "OElig": "\u{0152}", "oelig": "\u{0153}", "Scaron": "\u{0160}", "scaron": "\u{0161}",
      "Yuml": "\u{0178}", "fnof": "\u{0192}", "circ": "\u{02C6}", "tilde": "\u{02DC}",
      "alpha": "\u{03B1}", "beta": "\u{03B2}", "gamma": "\u{03B3}", "delta": "\u{03B4}",
      "epsilon": "\u{03B5}", "lambda": "\u{03BB}", "mu": "\u{03BC}", "pi": "\u{03C0}",
      "sigma": "\u{03C3}", "theta": "\u{03B8}", "omega": "\u{03C9}", "Delta": "\u{0394}",
      "Sigma": "\u{03A3}", "Omega": "\u{03A9}", "Pi": "\u{03A0}",
    ]
    // HTML 4 HTMLlat1: U+00A0 … U+00FF in code-point order.
    let latin1 = [
      "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
      "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
      "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
      "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave",
      "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve",
      "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml",
      "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig",
      "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth",
      "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave",
      "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
    ]
    for (offset, name) in latin1.enumerated() {
      table[name] = Unicode.Scalar(UInt32(0xA0 + offset))!
    }
    return table
  }()

  /// Appends `bytes` (UTF-8 HTML text) to `out` with every recognised reference decoded.
  ///
  /// `"a &amp;lt; b"` decodes once to `"a &lt; b"` (never twice); `"x&nbsp;"` gives `"x\u{A0}"`;
  /// `"&bogus;"` and a reference without its `;` stay as written.
  /// - Complexity: O(n) in the number of bytes.
  /// Bytes between references are copied as whole runs; `decodeReference` is the byte-by-byte
  /// statement of the same rule (tests compare them).
  public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, appendingTo out: inout [UInt8]) {
    var index = 0
    var runStart = 0
    let count = bytes.count
    while index < count {
      if bytes[index] == UInt8(ascii: "&"), let (scalar, next) = reference(bytes, at: index) {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        append(scalar, to: &out)
        index = next
        runStart = next
      } else {
        index += 1
      }
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
  }

  /// Reference for `decode`: one byte at a time.
  static func decodeReference(
    _ bytes: UnsafeBufferPointer<UInt8>, appendingTo out: inout [UInt8]
  ) {
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "&"), let (scalar, next) = reference(bytes, at: index) {
        append(scalar, to: &out)
        index = next
      } else {
        out.append(byte)
        index += 1
      }
    }
  }

  /// Decodes a whole string (tests and titles use this form).
  public static func decode(_ text: String) -> String {
    var out: [UInt8] = []
    var copy = text
    copy.withUTF8 { decode($0, appendingTo: &out) }
    return String(decoding: out, as: UTF8.self)
  }

  /// The reference starting at `start` (which holds `&`) and the index after its `;`.
  static func reference(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int)
    -> (Unicode.Scalar, Int)?
  {
    var end = start + 1
    while end < bytes.count, end - start <= 32, isNameByte(bytes[end]) { end += 1 }
    guard end < bytes.count, bytes[end] == UInt8(ascii: ";"), end > start + 1 else { return nil }
    let name = String(
      decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end]),
      as: UTF8.self)
    let scalar = name.hasPrefix("#") ? numeric(name.dropFirst()) : named[name]
    return scalar.map { ($0, end + 1) }
  }

  static func isNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "#"):
      return true
    default: return false
    }
  }

  /// `#65` / `#x41` bodies (without the `#`).
  static func numeric(_ body: Substring) -> Unicode.Scalar? {
    let value: UInt32?
    if let first = body.first, first == "x" || first == "X" {
      value = UInt32(body.dropFirst(), radix: 16)
    } else {
      value = UInt32(body, radix: 10)
    }
    guard let value else { return nil }
    if value == 0 { return "\u{FFFD}" }
    return Unicode.Scalar(value) ?? "\u{FFFD}"
  }

  static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    UTF8.encode(scalar) { out.append($0) }
  }
}
