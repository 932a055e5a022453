// An insert-only set of 64-bit record ids for `rmprep merge`'s cross-rank de-duplication: the ids
// of the ranks merged so far, asked of every id of the next rank. Open addressing with linear
// probing in one flat array of `UInt64` (capacity a power of two, at most half full), the slot
// chosen by the id's Fibonacci hash (`id &* 0x9E37_79B9_7F4A_7C15`, top bits), so that ids with a
// regular pattern (multiples of a power of two) spread as well as random ones. A slot holding 0 is
// empty; the id 0 itself is kept in a flag. `Set<UInt64>` is the reference it is tested against:
// it hashes every id with SipHash and keeps its buckets in a separate bitmap.

/// An insert-only set of `UInt64`.
public struct IDTable: Sendable {
  /// The slots: an id, or 0 for none. `slots.count` is a power of two.
  private var slots: [UInt64]
  /// `64 - log2(slots.count)`: the hash's top bits pick the slot.
  private var shift: UInt64
  /// Whether the id 0 (which cannot be stored in a slot) was inserted.
  private var hasZero = false
  /// The number of ids inserted.
  public private(set) var count = 0

  /// An empty table with room for `capacity` ids before it grows.
  public init(capacity: Int = 0) {
    var bits = 4
    while 1 << bits < 2 * capacity { bits += 1 }
    slots = [UInt64](repeating: 0, count: 1 << bits)
    shift = UInt64(64 - bits)
  }

  /// The slot where the search for `id` starts.
  @inline(__always)
  private func home(_ id: UInt64) -> Int {
    Int(truncatingIfNeeded: (id &* 0x9E37_79B9_7F4A_7C15) >> shift)
  }

  /// Whether `id` was inserted.
  public func contains(_ id: UInt64) -> Bool {
    if id == 0 { return hasZero }
    let mask = slots.count - 1
    var i = home(id)
    return slots.withUnsafeBufferPointer { s in
      while true {
        let v = s[i]
        if v == id { return true }
        if v == 0 { return false }
        i = (i + 1) & mask
      }
    }
  }

  /// Inserts `id`; returns false when it was there already.
  @discardableResult
  public mutating func insert(_ id: UInt64) -> Bool {
    if id == 0 {
      if hasZero { return false }
      hasZero = true
      count += 1
      return true
    }
    if 2 * (count + 1) > slots.count { grow() }
    let mask = slots.count - 1
    var i = home(id)
    let inserted = slots.withUnsafeMutableBufferPointer { s in
      while true {
        let v = s[i]
        if v == id { return false }
        if v == 0 {
          s[i] = id
          return true
        }
        i = (i + 1) & mask
      }
    }
    if inserted { count += 1 }
    return inserted
  }

  /// Inserts every id of `ids`.
  public mutating func formUnion<S: Sequence>(_ ids: S) where S.Element == UInt64 {
    for id in ids { insert(id) }
  }

  /// Doubles the slots and inserts the ids again.
  private mutating func grow() {
    let old = slots
    let zero = hasZero
    self = IDTable(capacity: slots.count)
    for id in old where id != 0 { insert(id) }
    if zero { insert(0) }
  }
}
