// GPT-2 vocab.json + merges.txt.

import BPE
import Foundation
import Testing

@Suite struct GPT2FilesTests {
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

  @Test func badMergeLineNamesTheLine() {
    #expect(throws: BPEError.self) {
      try GPT2Files.parse(
        vocab: Array(#"{"a": 0}"#.utf8), vocabPath: "vocab.json",
        merges: Array("#version: 0.2\na b c\n".utf8),
        mergesPath: "merges.txt")
    }
  }
}
