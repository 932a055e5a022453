// Parallel counting gives the same counts for any thread count and batch size (K15).

import BPE
import Foundation
import Testing

@Suite struct WordCounterTests {
  func counts(threads: Int, batchBytes: Int) throws -> [(bytes: [UInt8], count: Int)] {
    let text = try String(contentsOfFile: fixture("bpe/corpus.txt"), encoding: .utf8)
    let counter = WordCounter(pattern: .gpt2, threadCount: threads, batchBytes: batchBytes)
    for line in text.split(separator: "\n") { counter.add(String(line) + "\n") }
    #expect(counter.textCount == 15)
    return counter.finish().sortedWords()
  }

  @Test func sameCountsForAnyThreadCountAndBatchSize() throws {
    let reference = try counts(threads: 1, batchBytes: 1 << 20)
    for (threads, batch) in [(2, 1 << 20), (3, 64), (7, 1), (2, 300)] {
      let other = try counts(threads: threads, batchBytes: batch)
      #expect(other.map(\.bytes) == reference.map(\.bytes))
      #expect(other.map(\.count) == reference.map(\.count))
    }
  }

  @Test func countsExactWords() {
    let counter = WordCounter(pattern: .gpt2, threadCount: 2)
    counter.add("ab cd ab cd")
    let words = counter.finish().sortedWords()
    #expect(words.map { String(decoding: $0.bytes, as: UTF8.self) } == [" ab", " cd", "ab"])
    #expect(words.map(\.count) == [1, 2, 1])
  }

  @Test func extraSpecialTokensComeAfterTheFive() throws {
    let counter = WordCounter(pattern: .gpt2, threadCount: 1)
    counter.add("hello hello")
    let model = try BPETrainer.train(
      counter.finish(), options: TrainerOptions(vocabSize: 270, extraSpecialTokens: ["<|tool|>"]))
    let tok = try Tokenizer(model: model)
    #expect(tok.specialIDs == SpecialTokenIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4))
    #expect(tok.tokenBytes(5) == Array("<|tool|>".utf8))
    #expect(tok.tokenBytes(6) == [0x21])
    #expect(tok.isSpecialToken(5))
  }
}
