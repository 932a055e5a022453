// Hand-written scanners for the pretokenizer regexes of INTEROP.md §3.9.
//
// Each `…PieceEnd(from:)` returns the end (byte offset) of the match that the regex engine
// would find starting at `from`, trying the alternatives in order as a backtracking engine
// does. Every scalar matches some alternative, so pieces tile the text.
//
// Performance notes: one pass over the bytes, no allocation; ASCII is classified through a
// 128-entry table and the rest through the 64 KiB BMP table (ScalarClass.swift). The only
// backtracking the patterns need (`\s+(?!\S)`, `\s*[\r\n]`, o200k's `U*L+`) is resolved by
// remembering the last interesting position while scanning forward, so each scan is O(run).

extension UTF8Cursor {
  /// End of the maximal run of scalars that all have one of `classes`, starting at `i`.
  @inline(__always)
  func runEnd(from i: Int, _ classes: ScalarClass) -> Int {
    var j = i
    while j < count {
      let s = scalar(at: j)
      if s.cls.isDisjoint(with: classes) || s.cls.contains(.invalid) { break }
      j += s.length
    }
    return j
  }

  /// End of the maximal run of `[^\s\p{L}\p{N}]` scalars starting at `i`.
  @inline(__always)
  func otherRunEnd(from i: Int) -> Int {
    var j = i
    while j < count {
      let s = scalar(at: j)
      if !s.cls.isOther { break }
      j += s.length
    }
    return j
  }

  /// End of a contraction `s t re ve m ll d` that follows an apostrophe at `i - 1`.
  @inline(__always)
  func contractionEnd(after i: Int, caseInsensitive: Bool) -> Int? {
    guard i < count else { return nil }
    let fold: UInt8 = caseInsensitive ? 0x20 : 0
    let a = base[i] | fold
    switch a {
    case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
      return i + 1
    case UInt8(ascii: "r"), UInt8(ascii: "v"), UInt8(ascii: "l"):
      guard i + 1 < count else { return nil }
      let b = base[i + 1] | fold
      let want: UInt8 = a == UInt8(ascii: "l") ? UInt8(ascii: "l") : UInt8(ascii: "e")
      return b == want ? i + 2 : nil
    default:
      return nil
    }
  }

  /// The whitespace run at `i`: its end, the start of its last scalar, and the end of its
  /// last `\r`/`\n` (0 when it has none).
  @inline(__always)
  func whitespaceRun(from i: Int) -> (end: Int, lastStart: Int, lastLineBreakEnd: Int) {
    var j = i
    var last = i
    var lineBreakEnd = 0
    while j < count {
      let s = scalar(at: j)
      if !s.cls.contains(.whitespace) { break }
      last = j
      j += s.length
      if s.cls.contains(.lineBreak) { lineBreakEnd = j }
    }
    return (j, last, lineBreakEnd)
  }

  /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
  func gpt2PieceEnd(from i: Int) -> Int {
    let first = scalar(at: i)
    if first.cls.contains(.invalid) { return i + 1 }
    if first.value == 0x27, let end = contractionEnd(after: i + 1, caseInsensitive: false) {
      return end
    }
    var p = i
    var cls = first.cls
    if first.value == 0x20 && i + 1 < count {
      let next = scalar(at: i + 1)
      if next.cls.contains(.letter) || next.cls.contains(.number) || next.cls.isOther {
        p = i + 1
        cls = next.cls
      }
    }
    if cls.contains(.letter) { return runEnd(from: p, .letter) }
    if cls.contains(.number) { return runEnd(from: p, .number) }
    if cls.isOther { return otherRunEnd(from: p) }
    let run = whitespaceRun(from: i)
    if run.end == count { return run.end }  // \s+(?!\S) at end of text
    if run.lastStart > i { return run.lastStart }  // \s+(?!\S), backtracked one scalar
    return run.end  // \s+
  }

  /// cl100k (current when `anchoredEnd`, else the original 2023 pattern):
  /// `'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+|`
  /// ` ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`.
  func cl100kPieceEnd(from i: Int, anchoredEnd: Bool) -> Int {
    let first = scalar(at: i)
    if first.cls.contains(.invalid) { return i + 1 }
    if first.value == 0x27, let end = contractionEnd(after: i + 1, caseInsensitive: true) {
      return end
    }
    // [^\r\n\p{L}\p{N}]?+\p{L}++
    if first.cls.contains(.letter) { return runEnd(from: i, .letter) }
    let prefixable = first.cls.isDisjoint(with: [.lineBreak, .number])
    if prefixable && i + first.length < count {
      let next = scalar(at: i + first.length)
      if next.cls.contains(.letter) && !next.cls.contains(.invalid) {
        return runEnd(from: i + first.length, .letter)
      }
    }
    // \p{N}{1,3}+
    if first.cls.contains(.number) {
      var j = i + first.length
      for _ in 0..<2 where j < count {
        let s = scalar(at: j)
        guard s.cls.contains(.number), !s.cls.contains(.invalid) else { break }
        j += s.length
      }
      return j
    }
    // ' ?[^\s\p{L}\p{N}]++[\r\n]*+'
    var p = i
    if first.value == 0x20 && i + 1 < count && scalar(at: i + 1).cls.isOther { p = i + 1 }
    if p > i || first.cls.isOther {
      let end = otherRunEnd(from: p)
      return runEnd(from: end, .lineBreak)
    }
    // whitespace alternatives
    let run = whitespaceRun(from: i)
    if anchoredEnd && run.end == count { return run.end }  // \s++$
    if run.lastLineBreakEnd > 0 { return run.lastLineBreakEnd }  // \s*[\r\n]
    if run.end == count { return run.end }  // \s+(?!\S)
    if run.lastStart > i { return run.lastStart }  // \s+(?!\S), backtracked
    return i + first.length  // \s
  }

  /// o200k: two letter alternatives (see INTEROP.md §3.9), `\p{N}{1,3}`,
  /// ` ?[^\s\p{L}\p{N}]+[\r\n/]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`.
  func o200kPieceEnd(from i: Int) -> Int {
    let first = scalar(at: i)
    if first.cls.contains(.invalid) { return i + 1 }
    let prefixable = first.cls.isDisjoint(with: [.lineBreak, .letter, .number])
    // alternative 1: P? U* L+ C?   (U = upperish, L = lowerish, C = contraction)
    if prefixable, let end = o200kLowerTail(from: i + first.length) { return end }
    if let end = o200kLowerTail(from: i) { return end }
    // alternative 2: P? U+ L* C?
    if prefixable, let end = o200kUpperHead(from: i + first.length) { return end }
    if let end = o200kUpperHead(from: i) { return end }
    // \p{N}{1,3}
    if first.cls.contains(.number) {
      var j = i + first.length
      for _ in 0..<2 where j < count {
        let s = scalar(at: j)
        guard s.cls.contains(.number), !s.cls.contains(.invalid) else { break }
        j += s.length
      }
      return j
    }
    // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
    var p = i
    if first.value == 0x20 && i + 1 < count && scalar(at: i + 1).cls.isOther { p = i + 1 }
    if p > i || first.cls.isOther {
      var j = otherRunEnd(from: p)
      while j < count && (base[j] == 0x0A || base[j] == 0x0D || base[j] == 0x2F) { j += 1 }
      return j
    }
    let run = whitespaceRun(from: i)
    if run.lastLineBreakEnd > 0 { return run.lastLineBreakEnd }  // \s*[\r\n]+
    if run.end == count { return run.end }  // \s+(?!\S)
    if run.lastStart > i { return run.lastStart }  // \s+(?!\S), backtracked
    return run.end  // \s+
  }

  /// `U* L+ C?` at `p`, or nil. U* is greedy; when no L follows the U run, the engine
  /// backtracks into the run to its last scalar that is also in L (Lm, Lo, M).
  @inline(__always)
  func o200kLowerTail(from p: Int) -> Int? {
    guard p < count else { return nil }
    var j = p
    var lastLowerEnd = -1
    while j < count {
      let s = scalar(at: j)
      if !s.cls.contains(.upperish) || s.cls.contains(.invalid) { break }
      j += s.length
      if s.cls.contains(.lowerish) { lastLowerEnd = j }
    }
    var end: Int
    if j < count, case let s = scalar(at: j), s.cls.contains(.lowerish), !s.cls.contains(.invalid) {
      end = runEnd(from: j, .lowerish)
    } else if lastLowerEnd >= 0 {
      end = lastLowerEnd
    } else {
      return nil
    }
    if end < count && base[end] == 0x27,
      let c = contractionEnd(after: end + 1, caseInsensitive: true)
    {
      end = c
    }
    return end
  }

  /// `U+ L* C?` at `p`, or nil.
  @inline(__always)
  func o200kUpperHead(from p: Int) -> Int? {
    guard p < count else { return nil }
    let s = scalar(at: p)
    guard s.cls.contains(.upperish), !s.cls.contains(.invalid) else { return nil }
    var end = runEnd(from: runEnd(from: p, .upperish), .lowerish)
    if end < count && base[end] == 0x27,
      let c = contractionEnd(after: end + 1, caseInsensitive: true)
    {
      end = c
    }
    return end
  }
}
