// Counting pretokenized words: the first, parallel half of BPE training.
//
// Performance notes: every piece of the corpus is looked up once, so the table takes a borrowed
// byte slice, hashes it with FNV-1a and probes linearly into flat arrays; keys live in one byte
// arena. Nothing is allocated per piece. Each counting thread owns a table; tables are merged
// by `add(_:)`, and since counts are sums, the result does not depend on how text was split
// among threads (KNOWN-FAULTS K15).

/// A multiset of byte strings (pretokenized words) with their counts.
public struct WordCounts: Sendable {
  private var arena: [UInt8] = []
  private var offsets: [Int] = []
  private var lengths: [Int32] = []
  private var counts: [Int] = []
  private var slots: [Int32]  // index into offsets/lengths/counts, -1 = empty
  private var mask: Int

  /// An empty table.
  public init() {
    slots = [Int32](repeating: -1, count: 1024)
    mask = 1023
  }

  /// Number of distinct words.
  public var count: Int { counts.count }

  /// Total number of word occurrences.
  public var totalCount: Int { counts.reduce(0, +) }

  /// Adds `count` occurrences of the word `bytes`.
  @inline(__always)
  public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, count: Int = 1) {
    let h = PieceTable.hash(bytes)
    var i = Int(truncatingIfNeeded: h) & mask
    while true {
      let s = slots[i]
      if s < 0 { break }
      if equals(Int(s), bytes) {
        counts[Int(s)] += count
        return
      }
      i = (i + 1) & mask
    }
    slots[i] = Int32(counts.count)
    offsets.append(arena.count)
    lengths.append(Int32(bytes.count))
    counts.append(count)
    arena.append(contentsOf: bytes)
    if counts.count * 2 > slots.count { grow() }
  }

  @inline(__always) private func equals(_ word: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard Int(lengths[word]) == bytes.count else { return false }
    let offset = offsets[word]
    return arena.withUnsafeBufferPointer { arena in
      for k in 0..<bytes.count where arena[offset + k] != bytes[k] { return false }
      return true
    }
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
    arena.withUnsafeBufferPointer { arena in
      for word in 0..<counts.count {
        let bytes = UnsafeBufferPointer(
          rebasing: arena[offsets[word]..<offsets[word] + Int(lengths[word])])
        var i = Int(truncatingIfNeeded: PieceTable.hash(bytes)) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(word)
      }
    }
  }

  /// Adds every word of `other` with its count.
  public mutating func add(_ other: WordCounts) {
    other.forEach { bytes, count in add(bytes, count: count) }
  }

  /// Calls `body` with every word and its count, in insertion order.
  public func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
    arena.withUnsafeBufferPointer { arena in
      for word in 0..<counts.count {
        body(
          UnsafeBufferPointer(rebasing: arena[offsets[word]..<offsets[word] + Int(lengths[word])]),
          counts[word])
      }
    }
  }

  /// The words and counts sorted by bytes (a canonical order, independent of insertion).
  public func sortedWords() -> [(bytes: [UInt8], count: Int)] {
    var out: [(bytes: [UInt8], count: Int)] = []
    out.reserveCapacity(count)
    forEach { bytes, count in out.append((Array(bytes), count)) }
    out.sort { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    return out
  }

  /// Pretokenizes `text` with `pretokenizer` and counts its pieces.
  public mutating func addText(_ text: UnsafeBufferPointer<UInt8>, pretokenizer: Pretokenizer) {
    pretokenizer.forEachPiece(in: text) { range in
      add(UnsafeBufferPointer(rebasing: text[range]))
    }
  }
}
