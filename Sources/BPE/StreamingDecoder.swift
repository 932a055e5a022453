// Incremental decoding for generation: text appears as soon as its characters are complete.

/// Decodes ids one at a time without ever showing a transient U+FFFD (KNOWN-FAULTS K13).
///
///     var stream = StreamingDecoder(tokenizer: tok)
///     for id in ids { print(stream.push(id), terminator: "") }   // "🤗" appears whole
///     print(stream.finish())
///
/// Byte-level BPE can split one UTF-8 character across tokens. `push` returns the text of
/// every complete character so far and keeps back a trailing incomplete sequence (at most 3
/// bytes) until the bytes that complete it arrive. Bytes that can never become valid (a stray
/// continuation byte, an invalid lead byte) are replaced at once, one U+FFFD per maximal
/// invalid subsequence. `finish` applies the same rule to what is left, so a final incomplete
/// character becomes one U+FFFD. The concatenation of all outputs equals `decode(ids)`.
public struct StreamingDecoder {
  /// The tokenizer whose token bytes are decoded.
  public let tokenizer: Tokenizer
  private var pending: [UInt8] = []

  /// A decoder with nothing pending.
  public init(tokenizer: Tokenizer) {
    self.tokenizer = tokenizer
  }

  /// Bytes held back because they may start a character not yet complete.
  public var pendingBytes: [UInt8] { pending }

  /// Adds one token; returns the newly completed text (possibly empty).
  public mutating func push(_ id: TokenID) -> String {
    pending.append(contentsOf: tokenizer.decodeBytes([id]))
    let keep = Self.incompleteSuffixLength(pending)
    let ready = pending[..<(pending.count - keep)]
    let text = String(decoding: ready, as: UTF8.self)
    pending.removeFirst(pending.count - keep)
    return text
  }

  /// Ends the stream: returns the pending bytes decoded, an incomplete character as U+FFFD.
  public mutating func finish() -> String {
    defer { pending.removeAll() }
    return String(decoding: pending, as: UTF8.self)
  }

  /// Length of the longest suffix of `bytes` that is a proper prefix of a valid UTF-8
  /// sequence (a lead byte followed by fewer continuation bytes than it needs), else 0.
  static func incompleteSuffixLength(_ bytes: [UInt8]) -> Int {
    let n = bytes.count
    var k = 1
    while k <= min(3, n) {
      let b = bytes[n - k]
      if b & 0xC0 == 0x80 {  // continuation byte: look further back for the lead
        k += 1
        continue
      }
      let need: Int
      switch b {
      case 0xC2...0xDF: need = 2
      case 0xE0...0xEF: need = 3
      case 0xF0...0xF4: need = 4
      default: return 0
      }
      guard k < need else { return 0 }
      // the continuation bytes present must be valid for this lead (E0/ED/F0/F4 ranges)
      if k >= 2 {
        let second = bytes[n - k + 1]
        let ok: Bool
        switch b {
        case 0xE0: ok = second >= 0xA0
        case 0xED: ok = second <= 0x9F
        case 0xF0: ok = second >= 0x90
        case 0xF4: ok = second <= 0x8F
        default: ok = true
        }
        if !ok { return 0 }
      }
      return k
    }
    return 0
  }
}
