// The trainer's priority queue of candidate merges (STYLE.md D8, after tokenizers' trainer.rs).

/// A candidate merge: a pair, the count it had when pushed, and the words that contain it.
struct MergeCandidate {
  /// `left << 32 | right`, so comparing packed pairs compares `(left, right)`.
  var pair: UInt64
  var count: Int
  /// Index into the trainer's list of word-index lists.
  var positions: Int
}

/// A binary max-heap of merge candidates ordered by `count` descending, then pair ascending
/// (smaller left id first, then smaller right id): the documented training tie-break, the
/// same as Hugging Face `tokenizers`' `Merge` ordering.
///
/// Entries go stale when counts change; the trainer re-pushes a popped entry whose count
/// differs from the current one (lazy invalidation), so the heap itself never searches.
struct PairHeap {
  private(set) var items: [MergeCandidate] = []

  var isEmpty: Bool { items.isEmpty }

  /// True when `a` must pop before `b`.
  @inline(__always) static func precedes(_ a: MergeCandidate, _ b: MergeCandidate) -> Bool {
    a.count != b.count ? a.count > b.count : a.pair < b.pair
  }

  mutating func push(_ x: MergeCandidate) {
    items.append(x)
    var i = items.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      if !Self.precedes(items[i], items[parent]) { break }
      items.swapAt(parent, i)
      i = parent
    }
  }

  mutating func pop() -> MergeCandidate? {
    guard let first = items.first else { return nil }
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      var i = 0
      while true {
        let l = 2 * i + 1
        let r = l + 1
        var m = i
        if l < items.count && Self.precedes(items[l], items[m]) { m = l }
        if r < items.count && Self.precedes(items[r], items[m]) { m = r }
        if m == i { break }
        items.swapAt(i, m)
        i = m
      }
    }
    #if DEBUG
    checkInvariants()
    #endif
    return first
  }

  /// Every parent precedes (or ties with) its children. Debug builds only, on small heaps.
  func checkInvariants() {
    guard items.count < 64 else { return }
    for i in 1..<max(1, items.count) {
      precondition(!Self.precedes(items[i], items[(i - 1) / 2]), "PairHeap order broken at \(i)")
    }
  }
}
