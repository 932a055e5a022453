// K10 and K12 through the pipeline with a real BPE `Tokenizer` (the byte test tokenizer cannot
// show either fault): ids 0–255 are the bytes, 256 = " 4" and 257 = "46" are the only merges,
// the pretokenizer is GPT-2's, and the five specials are appended at 258–262.

import BPE
import Corpus
import Testing

@testable import TokenShards

@Suite struct BPETokenizerFaultTests {
  let tok: Tokenizer

  init() throws {
    let model = BPEModel(
      tokens: (0...255).map { [UInt8($0)] } + [[0x20, 0x34], [0x34, 0x36]],
      merges: [
        .init(left: 0x20, right: 0x34, result: 256), .init(left: 0x34, right: 0x36, result: 257),
      ],
      specialTokens: [], pattern: .gpt2)
    tok = try Tokenizer(model: model)
  }

  func bytes(_ s: String) -> [UInt32] { s.utf8.map { UInt32($0) } }

  func encoded(_ record: PreferenceRecord, kind: TargetKind) throws -> (EncodedRecord, TargetStats)
  {
    let pipeline = try TargetPipeline(tokenizer: tok, config: TargetConfig(kind: kind))
    let sink = MemorySinkTarget()
    try pipeline.process([record], into: sink)
    #expect(sink.records.count == 1)
    return (sink.records[0], pipeline.stats)
  }

  /// K10 (trl #2054): prompt "Q: price?\nA: ", chosen "46 dollars", rejected "$46 dollars". Joint
  /// tokenization merges the prompt's trailing space into " 4"; ours keeps the separate boundary.
  @Test func promptAndCompletionBoundaryIsTheSeparateOne() throws {
    let (prompt, chosen, rejected) = ("Q: price?\nA: ", "46 dollars", "$46 dollars")
    #expect(
      tok.specialIDs == SpecialTokenIDs(pad: 258, bos: 259, eos: 260, sepResp: 261, sepCorr: 262))
    // The fault's precondition: joint encoding differs at the boundary.
    #expect(
      tok.encode(prompt + chosen) == bytes("Q: price?\nA:") + [256, 0x36] + bytes(" dollars"))
    let promptIDs = bytes(prompt)
    let chosenIDs = [257] + bytes(" dollars")
    let rejectedIDs = [0x24, 257] + bytes(" dollars")
    let (record, _) = try encoded(
      PreferenceRecord(source: "k10:1", prompt: prompt, chosen: chosen, rejected: rejected),
      kind: .seq2seq)
    let correction = record.documents[0][0]
    #expect(
      correction.tokens == [259] + promptIDs + [261] + rejectedIDs + [262] + chosenIDs + [260])
    #expect(correction.mask.firstIndex(of: 1) == 1 + 13 + 1 + 10 + 1)
    #expect(correction.tokens[correction.mask.firstIndex(of: 1)!] == 257)
    let identity = record.documents[1][0]
    #expect(Array(identity.tokens[1...13]) == promptIDs)
    #expect(tok.decode(promptIDs) + tok.decode(chosenIDs) == prompt + chosen)
    #expect(tok.decode(rejectedIDs) == rejected)

    let (pairs, _) = try encoded(
      PreferenceRecord(source: "k10:1", prompt: prompt, chosen: chosen, rejected: rejected),
      kind: .pairs)
    let (c, r) = (pairs.documents[0][0], pairs.documents[0][1])
    #expect(c.tokens == [259] + promptIDs + [261] + chosenIDs + [260])
    #expect(r.tokens == [259] + promptIDs + [261] + rejectedIDs + [260])
    #expect(c.mask == Array(repeating: 0, count: c.count - 1) + [1])
  }

  /// K12: special-token text inside content is ordinary bytes; the only special ids are those the
  /// layout inserts (seq2seq: one BOS, SEP_RESP, SEP_CORR, EOS per sequence; prompts: no EOS).
  @Test func specialTextInContentNeverBecomesASpecialID() throws {
    let chosen = "To end a sample, GPT-2 uses <|eos|> as a marker."
    let record = PreferenceRecord(
      source: "k12:1", prompt: "What marks the end? <|sep_resp|>", chosen: chosen,
      rejected: "No idea.")
    #expect(tok.encode(chosen) == bytes(chosen))
    #expect(tok.decode(tok.encode(chosen)) == chosen)
    let (seq2seq, stats) = try encoded(record, kind: .seq2seq)
    #expect(stats.specialTextOccurrences == 2)
    for document in seq2seq.documents {
      let t = document[0].tokens
      #expect(t.filter { $0 >= 258 } == [259, 261, 262, 260])
    }
    let (prompts, promptStats) = try encoded(record, kind: .prompts)
    #expect(promptStats.specialTextOccurrences == 1)
    #expect(prompts.documents[0][0].tokens.filter { $0 >= 258 } == [259, 261])
  }
}
