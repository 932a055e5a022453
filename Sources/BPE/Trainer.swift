// BPE training: word counts → merges (STYLE.md D8, after tokenizers' BPE trainer.rs).
//
// Steps:
//  1. Ids: the specials first (ids 0…), then the 256 byte tokens in `ByteLevel` alphabet order.
//  2. Every distinct word becomes a list of byte-token ids with its count.
//  3. Count every adjacent pair (weighted by word count) and remember which words hold it.
//  4. Pop the best pair from a max-heap ordered by (count desc, left id asc, right id asc);
//     a popped entry whose count is stale is re-pushed with the current count.
//  5. Stop at `vocabSize` tokens, an empty heap, or a count below `minFrequency` (or 0).
//  6. Merge the pair in the words that hold it; each merge returns pair-count deltas;
//     apply them and push the new pairs with the words they appeared in. Go to 4.
// This reproduces the Hugging Face trainer's merges exactly when it is given the same
// specials and the full byte alphabet (`initial_alphabet = ByteLevel.alphabet()`); in
// particular, when a merge yields a byte string that already is a token (possible: "a"+"bc"
// and "ab"+"c"), the merge is recorded with the existing id and the vocabulary does not grow.

/// Options for `BPETrainer.train`.
public struct TrainerOptions: Sendable {
  /// Final vocabulary size, specials and the 256 byte tokens included.
  public var vocabSize: Int
  /// Pairs seen fewer times than this are never merged (Hugging Face `min_frequency`).
  public var minFrequency: Int
  /// Special tokens, in id order from 0: the five DESIGN.md specials, then any extra.
  public var specialTokens: [String]
  /// The pretokenizer pattern the model will use.
  public var pattern: PretokenizerPattern

  /// Options with the five DESIGN.md specials followed by `extraSpecialTokens`.
  public init(
    vocabSize: Int, minFrequency: Int = 0, pattern: PretokenizerPattern = .gpt2,
    extraSpecialTokens: [String] = []
  ) {
    self.vocabSize = vocabSize
    self.minFrequency = minFrequency
    self.pattern = pattern
    self.specialTokens = SpecialTokenIDs.strings + extraSpecialTokens
  }
}

/// Trains a byte-level BPE from word counts.
public enum BPETrainer {
  /// Trains on `words` (see the steps above). Deterministic: the result depends only on the
  /// multiset of words, not on their order or on how they were counted.
  ///
  /// `progress`, when given, is called with the number of merges done every 1,000 merges
  /// (for a progress line; it must not throw or block).
  public static func train(
    _ words: WordCounts, options: TrainerOptions, progress: ((Int) -> Void)? = nil
  ) throws -> BPEModel {
    var seenSpecials = Set<String>()
    for s in options.specialTokens where !seenSpecials.insert(s).inserted {
      throw BPEError.invalidTrainingOptions(detail: "special token \(s) is listed twice")
    }
    let base = options.specialTokens.count + 256
    guard options.vocabSize >= base else {
      throw BPEError.invalidTrainingOptions(
        detail: "--vocab-size \(options.vocabSize) is below \(base) (specials + 256 bytes)")
    }
    // 1. ids
    var tokens: [[UInt8]] = options.specialTokens.map { Array($0.utf8) }
    var byteID = [TokenID](repeating: 0, count: 256)
    for b in ByteLevel.bytesInAlphabetOrder {
      byteID[Int(b)] = TokenID(tokens.count)
      tokens.append([b])
    }
    var idOfBytes: [[UInt8]: TokenID] = [:]
    for (id, bytes) in tokens.enumerated() where idOfBytes[bytes] == nil {
      idOfBytes[bytes] = TokenID(id)
    }
    // 2. words, in canonical (sorted) order
    let sorted = words.sortedWords()
    var symbols: [[TokenID]] = sorted.map { $0.bytes.map { byteID[Int($0)] } }
    let counts = sorted.map(\.count)
    // 3. pair counts and positions
    var pairCounts: [UInt64: Int] = [:]
    var where0: [UInt64: [Int32]] = [:]
    for (w, word) in symbols.enumerated() where word.count > 1 {
      for k in 0..<(word.count - 1) {
        let pair = PairTable.key(word[k], word[k + 1])
        pairCounts[pair, default: 0] += counts[w]
        where0[pair, default: []].appendUnique(Int32(w))
      }
    }
    var positions: [[Int32]] = []
    var heap = PairHeap()
    for (pair, ws) in where0.sorted(by: { $0.key < $1.key }) where pairCounts[pair]! > 0 {
      positions.append(ws)
      heap.push(
        MergeCandidate(pair: pair, count: pairCounts[pair]!, positions: positions.count - 1))
    }
    where0 = [:]
    // 4–6. merges
    var merges: [BPEModel.Merge] = []
    while tokens.count < options.vocabSize, var top = heap.pop() {
      let current = pairCounts[top.pair] ?? 0
      if top.count != current {
        top.count = current
        heap.push(top)
        continue
      }
      if top.count < 1 || options.minFrequency > top.count { break }
      let left = TokenID(truncatingIfNeeded: top.pair >> 32)
      let right = TokenID(truncatingIfNeeded: top.pair)
      let bytes = tokens[Int(left)] + tokens[Int(right)]
      let newID: TokenID
      if let existing = idOfBytes[bytes] {
        newID = existing
      } else {
        newID = TokenID(tokens.count)
        tokens.append(bytes)
        idOfBytes[bytes] = newID
      }
      merges.append(BPEModel.Merge(left: left, right: right, result: newID))
      if let progress, merges.count % 1000 == 0 { progress(merges.count) }
      var touched: [UInt64: [Int32]] = [:]
      for w in positions[top.positions] {
        let wi = Int(w)
        symbols[wi].mergePair(left, right, into: newID) { pair, delta in
          pairCounts[pair, default: 0] += delta * counts[wi]
          if delta > 0 { touched[pair, default: []].appendUnique(w) }
        }
      }
      positions[top.positions] = []
      for (pair, ws) in touched.sorted(by: { $0.key < $1.key }) {
        let count = pairCounts[pair] ?? 0
        if count > 0 {
          positions.append(ws)
          heap.push(MergeCandidate(pair: pair, count: count, positions: positions.count - 1))
        }
      }
    }
    let specials = options.specialTokens.enumerated().map { ($0.element, TokenID($0.offset)) }
    return BPEModel(
      tokens: tokens, merges: merges, specialTokens: specials, pattern: options.pattern)
  }
}

extension Array where Element == TokenID {
  /// Replaces every non-overlapping `(left, right)`, scanning left to right, by `result`,
  /// reporting each pair count change (`-1` for a pair that disappears, `+1` for a new one),
  /// exactly as tokenizers' `Word::merge` does.
  ///
  ///     [a, b, c].mergePair(a, b, into: X) → [X, c]; changes: (b,c) −1, (X,c) +1
  mutating func mergePair(
    _ left: TokenID, _ right: TokenID, into result: TokenID, change: (UInt64, Int) -> Void
  ) {
    var i = 0
    while i < count {
      if self[i] == left && i + 1 < count && self[i + 1] == right {
        if i > 0 {
          change(PairTable.key(self[i - 1], left), -1)
          change(PairTable.key(self[i - 1], result), 1)
        }
        self[i] = result
        remove(at: i + 1)
        if i < count - 1 {
          change(PairTable.key(right, self[i + 1]), -1)
          change(PairTable.key(result, self[i + 1]), 1)
        }
      }
      i += 1
    }
  }
}

extension Array where Element == Int32 {
  /// Appends `w` unless it is already the last element (words are visited in order).
  @inline(__always) mutating func appendUnique(_ w: Int32) {
    if last != w { append(w) }
  }
}
