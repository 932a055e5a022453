// The pretokenizer: splits text into pieces that BPE then encodes one by one.
//
// Each pattern is the exact regex of INTEROP.md §3.9, implemented as a hand-written scanner
// (Pretokenizer+Scanners.swift) that returns the end of the leftmost-first match at a position.
// Swift `Regex` with unicode-scalar semantics is the test oracle (`referenceSplit`): it is about
// two orders of magnitude slower, which is why it never runs on the hot path.

/// One of the supported pretokenization regexes (INTEROP.md §3.9).
public enum PretokenizerPattern: String, Sendable, CaseIterable {
  /// GPT-2's original pattern, as Hugging Face `ByteLevel(use_regex: true)` applies it.
  case gpt2
  /// tiktoken's current cl100k_base pattern (possessive quantifiers, `\s++$`).
  case cl100k
  /// The original (2023) cl100k_base pattern that Hugging Face conversions embed; it differs
  /// from `cl100k` only on a final whitespace run that contains `\r` or `\n`.
  case cl100kOriginal = "cl100k-original"
  /// tiktoken's o200k_base pattern.
  case o200k

  /// The regex as tiktoken / the reference implementation writes it (`$` = end of text).
  public var regex: String {
    switch self {
    case .gpt2:
      return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    case .cl100k:
      return
        #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#
    case .cl100kOriginal:
      return
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    case .o200k:
      return [
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
        #"\p{N}{1,3}"#,
        #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#,
        #"\s*[\r\n]+"#,
        #"\s+(?!\S)"#,
        #"\s+"#,
      ].joined(separator: "|")
    }
  }

  /// The regex as written into a Hugging Face `tokenizer.json` `Split` pre-tokenizer.
  ///
  /// Oniguruma (the engine `tokenizers` uses) differs from tiktoken's engine in two places,
  /// both found by the parity check: `$` means "end of any line" there, so the end-of-text
  /// anchor is written `\z`; and `{1,3}+` is not possessive in its Ruby syntax but "one or
  /// more of `{1,3}`" (any number of digits), so it is written `{1,3}`, which matches the
  /// same text here because nothing follows it inside its alternative.
  public var huggingFaceRegex: String {
    switch self {
    case .cl100k:
      return
        #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++\z|\s*[\r\n]|\s+(?!\S)|\s"#
    default:
      return regex
    }
  }

  /// The pattern whose `regex` or `huggingFaceRegex` is exactly `text`, if any.
  public static func matching(regex text: String) -> PretokenizerPattern? {
    allCases.first { $0.regex == text || $0.huggingFaceRegex == text }
  }
}

/// Splits UTF-8 text into pretokenization pieces with a hand-written scanner.
public struct Pretokenizer: Sendable {
  /// The regex this pretokenizer implements.
  public let pattern: PretokenizerPattern

  /// A pretokenizer for `pattern`.
  public init(pattern: PretokenizerPattern) {
    self.pattern = pattern
  }

  /// Calls `body` with the byte range of every piece of `bytes`, in order.
  ///
  /// The ranges tile `0..<bytes.count` exactly. Invalid UTF-8 bytes become one-byte pieces
  /// (KNOWN-FAULTS K14). Complexity: O(n) for every pattern (o200k backtracks at most over
  /// one letter run).
  @inline(__always)
  public func forEachPiece(
    in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Void
  ) rethrows {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    let cursor = UTF8Cursor(base: base, count: bytes.count)
    var start = 0
    while start < bytes.count {
      let end: Int
      switch pattern {
      case .gpt2: end = cursor.gpt2PieceEnd(from: start)
      case .cl100k: end = cursor.cl100kPieceEnd(from: start, anchoredEnd: true)
      case .cl100kOriginal: end = cursor.cl100kPieceEnd(from: start, anchoredEnd: false)
      case .o200k: end = cursor.o200kPieceEnd(from: start)
      }
      try body(start..<end)
      start = end
    }
  }

  /// The pieces of `text`, as strings (for tests and inspection; allocates).
  public func split(_ text: String) -> [String] {
    var pieces: [String] = []
    var utf8 = Array(text.utf8)
    utf8.withUnsafeMutableBufferPointer { mutable in
      let buffer = UnsafeBufferPointer(mutable)
      forEachPiece(in: buffer) { range in
        pieces.append(String(decoding: buffer[range], as: UTF8.self))
      }
    }
    return pieces
  }

  /// The pieces of `text` by Swift `Regex` at unicode-scalar semantics: the test oracle.
  ///
  /// Slow (builds the regex on every call). INTEROP.md §3.9 finding 3 explains why the
  /// semantics must be unicode-scalar.
  public func referenceSplit(_ text: String) throws -> [String] {
    let regex = try Regex(pattern.regex).matchingSemantics(.unicodeScalar)
    var pieces: [String] = []
    var index = text.startIndex
    let scalars = text.unicodeScalars
    while index < text.endIndex {
      guard let match = try regex.firstMatch(in: text[index...]) else {
        pieces.append(String(text.unicodeScalars[index...]))
        break
      }
      if match.range.lowerBound > index {
        pieces.append(String(scalars[index..<match.range.lowerBound]))
      }
      if match.range.isEmpty {
        // an empty match cannot happen with these patterns; step one scalar to stay safe
        let next = scalars.index(after: match.range.lowerBound)
        pieces.append(String(scalars[match.range.lowerBound..<next]))
        index = next
        continue
      }
      pieces.append(String(scalars[match.range]))
      index = match.range.upperBound
    }
    return pieces
  }
}
