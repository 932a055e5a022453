// The vocabulary and merge list of a byte-level BPE, independent of any file format.

/// A byte-level BPE: token bytes by id, the merge list in rank order, and the special tokens.
///
/// Invariants (checked by `validate()`): every byte 0–255 has a token of exactly that one
/// byte; every merge's parts and result are ids in range; the result's bytes are the
/// concatenation of the parts' bytes. Special tokens are never produced by merges and are
/// never matched in text (DESIGN.md: special-token text inside data is ordinary text).
public struct BPEModel: Sendable, Equatable {
  /// `tokens[id]` = the bytes of token `id`; for special tokens, the UTF-8 of their string.
  public var tokens: [[UInt8]]
  /// The merges in rank order (rank 0 first): `(left, right) → result`.
  public var merges: [Merge]
  /// Special (added) tokens: string and id, in id order.
  public var specialTokens: [(content: String, id: TokenID)]
  /// The pretokenizer pattern that splits text before BPE.
  public var pattern: PretokenizerPattern
  /// When true, a piece that is itself a token is emitted whole without running merges
  /// (tiktoken's rule; Hugging Face `ignore_merges`).
  public var ignoreMerges: Bool

  /// One merge rule: the adjacent pair `(left, right)` becomes `result`.
  public struct Merge: Sendable, Equatable, Hashable {
    /// The left token of the pair.
    public var left: TokenID
    /// The right token of the pair.
    public var right: TokenID
    /// The token the pair becomes; its bytes are `left`'s followed by `right`'s.
    public var result: TokenID
    /// A merge, memberwise.
    public init(left: TokenID, right: TokenID, result: TokenID) {
      self.left = left
      self.right = right
      self.result = result
    }
  }

  /// A model, memberwise.
  public init(
    tokens: [[UInt8]], merges: [Merge], specialTokens: [(content: String, id: TokenID)],
    pattern: PretokenizerPattern, ignoreMerges: Bool = false
  ) {
    self.tokens = tokens
    self.merges = merges
    self.specialTokens = specialTokens
    self.pattern = pattern
    self.ignoreMerges = ignoreMerges
  }

  /// Same tokens, merges, specials (content and id), pattern and `ignoreMerges`.
  public static func == (a: BPEModel, b: BPEModel) -> Bool {
    a.tokens == b.tokens && a.merges == b.merges && a.pattern == b.pattern
      && a.ignoreMerges == b.ignoreMerges
      && a.specialTokens.map(\.content) == b.specialTokens.map(\.content)
      && a.specialTokens.map(\.id) == b.specialTokens.map(\.id)
  }

  /// Number of ids.
  public var vocabSize: Int { tokens.count }

  /// The id of the one-byte token for each byte 0–255.
  public func byteTokenIDs() -> [TokenID] {
    var table = [TokenID](repeating: TokenID.max, count: 256)
    var isSpecial = [Bool](repeating: false, count: tokens.count)
    for special in specialTokens where Int(special.id) < tokens.count {
      isSpecial[Int(special.id)] = true
    }
    for (id, bytes) in tokens.enumerated() where bytes.count == 1 && !isSpecial[id] {
      if table[Int(bytes[0])] == TokenID.max { table[Int(bytes[0])] = TokenID(id) }
    }
    return table
  }

  /// Checks the invariants above; throws `BPEError.invalidModel` naming the first violation.
  public func validate(path: String) throws {
    let bytes = byteTokenIDs()
    if let missing = bytes.firstIndex(of: TokenID.max) {
      throw BPEError.invalidModel(
        path: path, reason: "byte 0x\(hex2(UInt8(missing))) has no one-byte token")
    }
    for (rank, merge) in merges.enumerated() {
      let n = TokenID(tokens.count)
      guard merge.left < n, merge.right < n, merge.result < n else {
        throw BPEError.invalidModel(path: path, reason: "merge \(rank) uses an id ≥ \(n)")
      }
      guard tokens[Int(merge.result)] == tokens[Int(merge.left)] + tokens[Int(merge.right)]
      else {
        throw BPEError.invalidModel(
          path: path, reason: "merge \(rank): result bytes are not left + right")
      }
    }
    for special in specialTokens where Int(special.id) >= tokens.count {
      throw BPEError.invalidModel(
        path: path, reason: "special token \(special.content) has id \(special.id) out of range")
    }
  }
}

/// Two lowercase hex digits.
func hex2(_ b: UInt8) -> String {
  let digits = Array("0123456789abcdef")
  return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
}
