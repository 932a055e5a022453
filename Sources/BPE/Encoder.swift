// Byte-level BPE encoding of text: pretokenize, then merge each piece.
//
// Performance notes (after tiktoken's src/lib.rs, STYLE.md D8):
// - Whole-piece fast path: most pieces of natural text are themselves tokens. `pieceTable`
//   holds every token whose own bytes encode to exactly that token, so a hit returns the
//   same ids as running the merges; it is checked before any merge work.
// - Pieces under `flatLimit` bytes use the flat O(m²) scan: a few cache lines of ids and
//   packed ranks, which beats a heap for the short pieces that dominate real text.
// - Longer pieces (long runs of digits-free symbols, base64 blobs) use a linked list plus a
//   binary heap, O(m log m), so a pathological megabyte piece cannot go quadratic.
// - Pair lookups go to `PairTable` (multiply-shift hash over the packed pair, no allocation).
// The reference `referenceEncodePiece` (Encoder+Reference.swift) applies the merges one by
// one in rank order and is the test oracle for both paths.

/// Everything needed to encode text with one model; immutable and shareable across threads.
struct BPEEncoder: Sendable {
  let pretokenizer: Pretokenizer
  let byteIDs: [TokenID]
  let pairs: PairTable
  let pieceTable: PieceTable
  static let flatLimit = 128

  init(model: BPEModel) {
    pretokenizer = Pretokenizer(pattern: model.pattern)
    byteIDs = model.byteTokenIDs()
    var pairs = PairTable(capacityFor: model.merges.count)
    for (rank, merge) in model.merges.enumerated() {
      pairs.insert(left: merge.left, right: merge.right, rank: UInt32(rank), result: merge.result)
    }
    self.pairs = pairs
    var special = Set<TokenID>()
    for s in model.specialTokens { special.insert(s.id) }
    var table = PieceTable(capacityFor: model.tokens.count)
    var scratch = EncodeScratch()
    let partial = BPEEncoder(
      pretokenizer: pretokenizer, byteIDs: byteIDs, pairs: pairs,
      pieceTable: PieceTable(capacityFor: 0))
    for (id, bytes) in model.tokens.enumerated()
    where bytes.count >= 2 && !special.contains(TokenID(id)) {
      if model.ignoreMerges {
        table.insert(bytes, id: TokenID(id))
        continue
      }
      var out: [TokenID] = []
      bytes.withUnsafeBufferPointer { partial.mergePiece($0, into: &out, scratch: &scratch) }
      if out.count == 1 && out[0] == TokenID(id) { table.insert(bytes, id: TokenID(id)) }
    }
    pieceTable = table
  }

  private init(
    pretokenizer: Pretokenizer, byteIDs: [TokenID], pairs: PairTable, pieceTable: PieceTable
  ) {
    self.pretokenizer = pretokenizer
    self.byteIDs = byteIDs
    self.pairs = pairs
    self.pieceTable = pieceTable
  }

  /// Appends the ids of `bytes` (any bytes; invalid UTF-8 is encoded byte by byte) to `out`.
  func encode(
    _ bytes: UnsafeBufferPointer<UInt8>, into out: inout [TokenID], scratch: inout EncodeScratch
  ) {
    pretokenizer.forEachPiece(in: bytes) { range in
      let piece = UnsafeBufferPointer(rebasing: bytes[range])
      if piece.count == 1 {
        out.append(byteIDs.withUnsafeBufferPointer { $0[Int(piece[0])] })
      } else if let id = pieceTable.lookup(piece) {
        out.append(id)
      } else {
        mergePiece(piece, into: &out, scratch: &scratch)
      }
    }
  }

  /// Appends the BPE encoding of one piece (no whole-piece lookup) to `out`.
  func mergePiece(
    _ piece: UnsafeBufferPointer<UInt8>, into out: inout [TokenID], scratch: inout EncodeScratch
  ) {
    if piece.count < Self.flatLimit {
      mergeFlat(piece, into: &out, scratch: &scratch)
    } else {
      mergeWithHeap(piece, into: &out)
    }
  }

  /// Flat scan: repeatedly merge the leftmost pair of lowest rank. O(m²), m = piece bytes.
  func mergeFlat(
    _ piece: UnsafeBufferPointer<UInt8>, into out: inout [TokenID], scratch: inout EncodeScratch
  ) {
    var n = piece.count
    scratch.reserve(n)
    let ids = scratch.ids
    let ranks = scratch.ranks  // ranks[k] = packed (rank, result) of (ids[k], ids[k+1])
    byteIDs.withUnsafeBufferPointer { byteIDs in
      for k in 0..<n { ids[k] = byteIDs[Int(piece[k])] }
    }
    for k in 0..<(n - 1) { ranks[k] = pairs.lookup(ids[k], ids[k + 1]) }
    while n > 1 {
      var best = UInt64.max
      var at = 0
      for k in 0..<(n - 1) where ranks[k] < best {
        best = ranks[k]
        at = k
      }
      if best == UInt64.max { break }
      ids[at] = TokenID(truncatingIfNeeded: best)
      if at + 2 < n {
        for k in (at + 1)..<(n - 1) { ids[k] = ids[k + 1] }
        for k in (at + 1)..<(n - 2) { ranks[k] = ranks[k + 1] }
      }
      n -= 1
      if at > 0 { ranks[at - 1] = pairs.lookup(ids[at - 1], ids[at]) }
      if at < n - 1 { ranks[at] = pairs.lookup(ids[at], ids[at + 1]) }
    }
    out.append(contentsOf: UnsafeBufferPointer(start: ids, count: n))
  }

  /// Heap path: a doubly linked list of parts and a min-heap of (rank, position) candidates,
  /// validated lazily when popped. Same result as `mergeFlat`; O(m log m).
  func mergeWithHeap(_ piece: UnsafeBufferPointer<UInt8>, into out: inout [TokenID]) {
    let n = piece.count
    var ids = piece.map { byteIDs[Int($0)] }
    var next = (0..<n).map { $0 + 1 }  // n = none
    var prev = (0..<n).map { $0 - 1 }  // -1 = none
    var heap = MinHeap()
    for k in 0..<(n - 1) {
      let r = pairs.lookup(ids[k], ids[k + 1])
      if r != UInt64.max { heap.push((r & 0xFFFF_FFFF_0000_0000) | UInt64(k)) }
    }
    while let top = heap.pop() {
      let rank = top >> 32
      let k = Int(top & 0xFFFF_FFFF)
      let j = next[k]
      guard ids[k] != TokenID.max, j < n else { continue }
      let r = pairs.lookup(ids[k], ids[j])
      guard r != UInt64.max, r >> 32 == rank else { continue }
      ids[k] = TokenID(truncatingIfNeeded: r)
      ids[j] = TokenID.max
      next[k] = next[j]
      if next[j] < n { prev[next[j]] = k }
      if prev[k] >= 0 {
        let p = prev[k]
        let rp = pairs.lookup(ids[p], ids[k])
        if rp != UInt64.max { heap.push((rp & 0xFFFF_FFFF_0000_0000) | UInt64(p)) }
      }
      if next[k] < n {
        let rn = pairs.lookup(ids[k], ids[next[k]])
        if rn != UInt64.max { heap.push((rn & 0xFFFF_FFFF_0000_0000) | UInt64(k)) }
      }
    }
    var k = 0
    while k < n {
      out.append(ids[k])
      k = next[k]
    }
  }
}

/// Reusable buffers for `mergeFlat`; one per thread.
struct EncodeScratch: ~Copyable {
  private(set) var capacity = 0
  private(set) var ids = UnsafeMutablePointer<TokenID>.allocate(capacity: 1)
  private(set) var ranks = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)

  init() {}

  mutating func reserve(_ n: Int) {
    guard n > capacity else { return }
    ids.deallocate()
    ranks.deallocate()
    capacity = max(n, 2 * capacity, 64)
    ids = .allocate(capacity: capacity)
    ranks = .allocate(capacity: capacity)
  }

  deinit {
    ids.deallocate()
    ranks.deallocate()
  }
}

/// A binary min-heap of packed `UInt64` keys (rank in the high half, position in the low).
struct MinHeap {
  private var items: [UInt64] = []

  mutating func push(_ x: UInt64) {
    items.append(x)
    var i = items.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      if items[parent] <= items[i] { break }
      items.swapAt(parent, i)
      i = parent
    }
  }

  mutating func pop() -> UInt64? {
    guard let first = items.first else { return nil }
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      var i = 0
      while true {
        let l = 2 * i + 1
        let r = l + 1
        var m = i
        if l < items.count && items[l] < items[m] { m = l }
        if r < items.count && items[r] < items[m] { m = r }
        if m == i { break }
        items.swapAt(i, m)
        i = m
      }
    }
    return first
  }
}
