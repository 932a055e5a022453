// tiktoken rank files and base64.

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
}
