// Two flat open-addressing hash tables for the encoder's hot path.
//
// Performance notes: Swift's `Dictionary<[UInt8], …>` needs an allocated key per lookup and
// hashes with SipHash; the encoder looks up every adjacent pair and every piece, so both
// tables here take borrowed keys, hash with a multiply-shift (pairs) or a 64-bit FNV-1a
// (byte strings), probe linearly, and never allocate after construction.

/// Maps a token pair `(left, right)` to its merge rank and the merged token.
struct PairTable: Sendable {
  private var keys: [UInt64]
  private var values: [UInt64]
  private let mask: Int
  private static let empty = UInt64.max

  /// A table sized for `count` pairs (load factor ≤ 0.5).
  init(capacityFor count: Int) {
    var size = 16
    while size < count * 2 { size <<= 1 }
    keys = [UInt64](repeating: Self.empty, count: size)
    values = [UInt64](repeating: 0, count: size)
    mask = size - 1
  }

  @inline(__always) static func key(_ left: TokenID, _ right: TokenID) -> UInt64 {
    UInt64(left) << 32 | UInt64(right)
  }

  @inline(__always) private func slot(_ key: UInt64) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
  }

  /// Inserts a merge unless the pair is already present (the first, lowest rank, wins).
  mutating func insert(left: TokenID, right: TokenID, rank: UInt32, result: TokenID) {
    let k = Self.key(left, right)
    var i = slot(k)
    while keys[i] != Self.empty {
      if keys[i] == k { return }
      i = (i + 1) & mask
    }
    keys[i] = k
    values[i] = UInt64(rank) << 32 | UInt64(result)
  }

  /// `rank << 32 | result` for the pair, or `UInt64.max` when the pair is not a merge.
  @inline(__always) func lookup(_ left: TokenID, _ right: TokenID) -> UInt64 {
    let k = Self.key(left, right)
    return keys.withUnsafeBufferPointer { keys in
      var i = slot(k)
      while true {
        let stored = keys[i]
        if stored == k { return values.withUnsafeBufferPointer { $0[i] } }
        if stored == Self.empty { return UInt64.max }
        i = (i + 1) & mask
      }
    }
  }
}

/// Maps whole byte strings to a token id (the whole-piece fast path of the encoder).
struct PieceTable: Sendable {
  private var arena: [UInt8] = []
  private var offsets: [UInt32]
  private var lengths: [UInt32]
  private var ids: [TokenID]
  private let mask: Int
  private static let emptyLength = UInt32.max

  init(capacityFor count: Int) {
    var size = 16
    while size < count * 2 { size <<= 1 }
    offsets = [UInt32](repeating: 0, count: size)
    lengths = [UInt32](repeating: Self.emptyLength, count: size)
    ids = [TokenID](repeating: 0, count: size)
    mask = size - 1
  }

  @inline(__always) static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h ^ (h >> 29)
  }

  mutating func insert(_ bytes: [UInt8], id: TokenID) {
    bytes.withUnsafeBufferPointer { key in
      var i = Int(truncatingIfNeeded: Self.hash(key)) & mask
      while lengths[i] != Self.emptyLength {
        if lookupMatches(slot: i, key) { return }
        i = (i + 1) & mask
      }
      offsets[i] = UInt32(arena.count)
      lengths[i] = UInt32(key.count)
      ids[i] = id
      arena.append(contentsOf: key)
    }
  }

  @inline(__always) private func lookupMatches(slot i: Int, _ key: UInt8Buffer) -> Bool {
    let length = Int(lengths[i])
    guard length == key.count else { return false }
    let offset = Int(offsets[i])
    return arena.withUnsafeBufferPointer { arena in
      for k in 0..<length where arena[offset + k] != key[k] { return false }
      return true
    }
  }

  /// The id whose bytes are exactly `key`, or nil.
  @inline(__always) func lookup(_ key: UnsafeBufferPointer<UInt8>) -> TokenID? {
    var i = Int(truncatingIfNeeded: Self.hash(key)) & mask
    while true {
      let length = lengths[i]
      if length == Self.emptyLength { return nil }
      if lookupMatches(slot: i, key) { return ids[i] }
      i = (i + 1) & mask
    }
  }
}

typealias UInt8Buffer = UnsafeBufferPointer<UInt8>
