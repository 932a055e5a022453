// .tiktoken and GPT-2 vocab.json + merges.txt files.

import Foundation
import Testing

@testable import BPE

@Suite struct TiktokenFileTests {
  @Test func base64MatchesRFC4648() {
    #expect(Base64.encode(Array("f".utf8)) == "Zg==")
    #expect(Base64.encode(Array("foob".utf8)) == "Zm9vYg==")
    #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
    #expect(Base64.decode(Array("Zm9vYg==".utf8)) == Array("foob".utf8))
    #expect(Base64.decode(Array("Zm9v*".utf8)) == nil)
  }

  @Test func roundTripGivesTheSameIDs() throws {
    let tok = try fixtureTokenizer()
    let file = TiktokenFile.serialize(tok.model)
    #expect(String(decoding: file.prefix(8), as: UTF8.self) == "IQ== 5\nI")
    let back = try Tokenizer(model: TiktokenFile.parse(file, path: "t.tiktoken", pattern: .gpt2))
    #expect(back.specialIDs == tok.specialIDs)
    #expect(back.vocabSize == tok.vocabSize)
    let text = try String(contentsOfFile: fixture("bpe/corpus.txt"), encoding: .utf8)
    #expect(back.encode(text) == tok.encode(text))
    #expect(back.model.merges.map(\.result) == tok.model.merges.map(\.result))
  }

  @Test func errorsNameTheLine() {
    #expect(
      throws: BPEError.malformedTokenizer(
        path: "x.tiktoken", pointer: "line 2", detail: "expected 'base64 rank'")
    ) {
      try TiktokenFile.parse(Array("IQ== 0\nnot-base64\n".utf8), path: "x.tiktoken", pattern: .gpt2)
    }
  }

  @Test func gpt2VocabAndMerges() throws {
    var vocab = "{"
    for (k, b) in ByteLevel.bytesInAlphabetOrder.enumerated() {
      let key = ByteLevel.encode([b]).replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"")
      vocab += "\"\(key)\": \(k), "
    }
    vocab += "\"Ġt\": 256, \"Ġth\": 257, \"<|endoftext|>\": 258}"
    let merges = "#version: 0.2\nĠ t\nĠt h\n"
    let model = try GPT2Files.parse(
      vocab: Array(vocab.utf8), vocabPath: "vocab.json", merges: Array(merges.utf8),
      mergesPath: "merges.txt")
    let tok = try Tokenizer(model: model)
    #expect(
      tok.encode(" the")
        == [257, ByteLevel.bytesInAlphabetOrder.firstIndex(of: 0x65)!].map(TokenID.init))
    #expect(tok.isSpecialToken(258))
  }
}
