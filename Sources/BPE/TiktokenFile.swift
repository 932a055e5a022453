// tiktoken `.tiktoken` rank files (INTEROP.md §3.8): `base64(token bytes) SP rank LF`, by rank.

/// Reads and writes tiktoken rank files.
///
/// A rank file holds no special tokens and no merges. On reading, the merges are derived as
/// Hugging Face's converter does: for each token of two or more bytes, in rank order, run
/// byte-level BPE on its bytes restricted to lower ranks; the two parts left are its merge.
/// The model gets `ignoreMerges = true` (tiktoken's whole-piece rule). Rank holes — such as
/// ids 0–4 of a tokenizer we trained, whose specials are not in the file — receive the five
/// DESIGN.md specials in order.
public enum TiktokenFile {
  /// The rank file of `model`: every non-special token, by id.
  public static func serialize(_ model: BPEModel) -> [UInt8] {
    let special = Set(model.specialTokens.map(\.id))
    var out: [UInt8] = []
    for (id, bytes) in model.tokens.enumerated() where !special.contains(TokenID(id)) {
      out.append(contentsOf: Base64.encode(bytes).utf8)
      out.append(0x20)
      out.append(contentsOf: String(id).utf8)
      out.append(0x0A)
    }
    return out
  }

  /// Parses a rank file; errors name the line.
  public static func parse(_ bytes: [UInt8], path: String, pattern: PretokenizerPattern) throws
    -> BPEModel
  {
    var byRank: [Int: [UInt8]] = [:]
    var lineNumber = 0
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
      lineNumber += 1
      let fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
      if fields.isEmpty { continue }
      guard fields.count == 2, let token = Base64.decode(Array(fields[0])),
        let rank = Int(String(decoding: fields[1], as: UTF8.self)), rank >= 0, rank < 1 << 31
      else {
        throw BPEError.malformedTokenizer(
          path: path, pointer: "line \(lineNumber)", detail: "expected 'base64 rank'")
      }
      guard byRank.updateValue(token, forKey: rank) == nil else {
        throw BPEError.malformedTokenizer(
          path: path, pointer: "line \(lineNumber)", detail: "rank \(rank) appears twice")
      }
    }
    let size = (byRank.keys.max() ?? -1) + 1
    var tokens: [[UInt8]] = []
    var specials: [(content: String, id: TokenID)] = []
    var nextSpecial = 0
    for id in 0..<size {
      if let token = byRank[id] {
        tokens.append(token)
      } else {
        guard nextSpecial < SpecialTokenIDs.strings.count else {
          throw BPEError.unsupportedTokenizer(
            path: path, pointer: "rank \(id)", detail: "more than five ranks are missing")
        }
        let name = SpecialTokenIDs.strings[nextSpecial]
        nextSpecial += 1
        tokens.append(Array(name.utf8))
        specials.append((name, TokenID(id)))
      }
    }
    let merges = try deriveMerges(tokens: tokens, skip: Set(specials.map(\.id)), path: path)
    let model = BPEModel(
      tokens: tokens, merges: merges, specialTokens: specials, pattern: pattern,
      ignoreMerges: true)
    try model.validate(path: path)
    return model
  }

  /// The merge of every multi-byte token, derived from the ranks (see the type's doc).
  static func deriveMerges(tokens: [[UInt8]], skip: Set<TokenID>, path: String) throws
    -> [BPEModel.Merge]
  {
    var rankOf: [[UInt8]: Int] = [:]
    for (id, bytes) in tokens.enumerated() where !skip.contains(TokenID(id)) {
      rankOf[bytes] = id
    }
    var merges: [BPEModel.Merge] = []
    for (id, bytes) in tokens.enumerated() where bytes.count >= 2 && !skip.contains(TokenID(id)) {
      var parts = bytes.map { [$0] }
      while parts.count > 2 {
        var best = Int.max
        var at = -1
        for k in 0..<(parts.count - 1) {
          if let r = rankOf[parts[k] + parts[k + 1]], r < id, r < best {
            best = r
            at = k
          }
        }
        if at < 0 { break }
        parts[at] += parts[at + 1]
        parts.remove(at: at + 1)
      }
      guard parts.count == 2, let left = rankOf[parts[0]], let right = rankOf[parts[1]] else {
        throw BPEError.invalidModel(
          path: path, reason: "token of rank \(id) cannot be built from two lower-ranked tokens")
      }
      merges.append(BPEModel.Merge(left: TokenID(left), right: TokenID(right), result: TokenID(id)))
    }
    return merges
  }
}

/// Standard base64 (RFC 4648, with padding), as tiktoken writes it.
enum Base64 {
  static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    var k = 0
    while k < bytes.count {
      let b0 = UInt32(bytes[k])
      let b1 = k + 1 < bytes.count ? UInt32(bytes[k + 1]) : 0
      let b2 = k + 2 < bytes.count ? UInt32(bytes[k + 2]) : 0
      let v = b0 << 16 | b1 << 8 | b2
      out.append(alphabet[Int(v >> 18 & 63)])
      out.append(alphabet[Int(v >> 12 & 63)])
      out.append(k + 1 < bytes.count ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
      out.append(k + 2 < bytes.count ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
      k += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func decode(_ text: [UInt8]) -> [UInt8]? {
    var value = [Int](repeating: -1, count: 256)
    for (k, c) in alphabet.enumerated() { value[Int(c)] = k }
    var out: [UInt8] = []
    var acc: UInt32 = 0
    var bits = 0
    var padding = 0
    for c in text {
      if c == UInt8(ascii: "=") {
        padding += 1
        continue
      }
      guard padding == 0, value[Int(c)] >= 0 else { return nil }
      acc = acc << 6 | UInt32(value[Int(c)])
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
      }
    }
    guard (text.count % 4 == 0 || padding == 0), padding <= 2 else { return nil }
    return out
  }
}
