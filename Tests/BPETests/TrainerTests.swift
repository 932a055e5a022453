// Exact merges on tiny corpora, the documented tie-break, and determinism (KNOWN-FAULTS K15).

import Testing

@testable import BPE

@Suite struct TrainerTests {
  /// Id of the one-byte token for `c` in a tokenizer we train (5 specials first).
  func byteID(_ c: Character) -> TokenID {
    TokenID(5 + ByteLevel.bytesInAlphabetOrder.firstIndex(of: c.asciiValue!)!)
  }

  @Test func wikipediaExample() throws {
    // aaabdaaabac: aa (4) → Z; then ab (2) and Za (2) tie; (a,b) wins because id(a) < id(Z);
    // then ZY (2) → X. Encoding gives XdXac, as on Wikipedia.
    let model = try BPETrainer.train(
      countWords(["aaabdaaabac"]), options: TrainerOptions(vocabSize: 261 + 3))
    let a = byteID("a")
    let b = byteID("b")
    #expect(
      model.merges == [
        .init(left: a, right: a, result: 261), .init(left: a, right: b, result: 262),
        .init(left: 261, right: 262, result: 263),
      ])
    let tok = try Tokenizer(model: model)
    #expect(tok.encode("aaabdaaabac") == [263, byteID("d"), 263, a, byteID("c")])
    #expect(tok.decode(tok.encode("aaabdaaabac")) == "aaabdaaabac")
  }

  @Test func tieBreakIsCountThenSmallestPair() throws {
    // K15: "ab cd ab cd" → (a,b)=2, (Ġ,c)=2, (c,d)=2, (Ġ,a)=1. The three-way tie goes to the
    // smallest (left id, right id): a=0x61 < c=0x63 < Ġ (U+0120, after all printables).
    let model = try BPETrainer.train(
      countWords(["ab cd ab cd"]), options: TrainerOptions(vocabSize: 261 + 3))
    let space = TokenID(5 + ByteLevel.bytesInAlphabetOrder.firstIndex(of: 0x20)!)
    #expect(
      model.merges == [
        .init(left: byteID("a"), right: byteID("b"), result: 261),
        .init(left: byteID("c"), right: byteID("d"), result: 262),
        .init(left: space, right: 262, result: 263),
      ])
  }

  @Test func sameMergesWhateverTheOrderOrSplitOfTheInput() throws {
    let lines = try String(contentsOfFile: fixture("bpe/corpus.txt"), encoding: .utf8)
      .split(separator: "\n").map { String($0) + "\n" }
    let options = TrainerOptions(vocabSize: 420)
    let forward = try BPETrainer.train(countWords(lines), options: options)
    let reversed = try BPETrainer.train(countWords(lines.reversed()), options: options)
    var halves = countWords(Array(lines[..<(lines.count / 2)]))
    halves.add(countWords(Array(lines[(lines.count / 2)...])))
    let merged = try BPETrainer.train(halves, options: options)
    #expect(forward == reversed)
    #expect(forward == merged)
    #expect(forward.tokens.count == 420)
  }

  @Test func everyMergeSpellsItsResult() throws {
    // The result of merge k is the concatenation of its parts, and ids grow with the merges.
    let lines = try String(contentsOfFile: fixture("bpe/corpus.txt"), encoding: .utf8)
      .split(separator: "\n").map { String($0) + "\n" }
    let model = try BPETrainer.train(countWords(lines), options: TrainerOptions(vocabSize: 400))
    try model.validate(path: "trained")
    for merge in model.merges {
      #expect(merge.result > merge.left && merge.result > merge.right)
    }
  }

  @Test func minFrequencyStopsEarly() throws {
    let model = try BPETrainer.train(
      countWords(["aaabdaaabac"]), options: TrainerOptions(vocabSize: 300, minFrequency: 3))
    #expect(model.merges.count == 1)
  }

  @Test func rejectsVocabularySmallerThanTheBase() {
    #expect(throws: BPEError.self) {
      try BPETrainer.train(WordCounts(), options: TrainerOptions(vocabSize: 100))
    }
  }

  @Test func mergePairReportsHuggingFaceDeltas() {
    var word: [TokenID] = [1, 1, 1, 1]
    var changes: [(UInt64, Int)] = []
    word.mergePair(1, 1, into: 9) { changes.append(($0, $1)) }
    #expect(word == [9, 9])
    let expected: [(UInt64, Int)] = [
      (PairTable.key(1, 1), -1), (PairTable.key(9, 1), 1),
      (PairTable.key(9, 1), -1), (PairTable.key(9, 9), 1),
    ]
    #expect(changes.map(\.0) == expected.map(\.0))
    #expect(changes.map(\.1) == expected.map(\.1))
  }
}
