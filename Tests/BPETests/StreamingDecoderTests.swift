// Streaming decode never shows a transient U+FFFD and equals decode(ids) (KNOWN-FAULTS K13).

import Testing

@testable import BPE

@Suite struct StreamingDecoderTests {
  @Test func emojiSplitAcrossTokensAppearsWhole() throws {
    let tok = try fixtureTokenizer()
    // Encode 🤗 byte by byte so that it surely spans several tokens.
    let ids = Array("🤗!".utf8).map {
      tok.encode(bytes: UnsafeBufferPointer(start: [$0], count: 1))[0]
    }
    var stream = StreamingDecoder(tokenizer: tok)
    let outputs = ids.map { stream.push($0) }
    #expect(outputs == ["", "", "", "🤗", "!"])
    #expect(stream.finish() == "")
  }

  @Test func outputsConcatenateToDecode() throws {
    let tok = try fixtureTokenizer()
    for text in ["x != y", " !", "hello !", "你好，世界 🤗🎉 é", "Écris une phrase"] {
      let ids = tok.encode(text)
      var stream = StreamingDecoder(tokenizer: tok)
      let parts = ids.map { stream.push($0) }
      #expect(!parts.contains { $0.contains("\u{FFFD}") })
      #expect(parts.joined() + stream.finish() == tok.decode(ids))
      #expect(tok.decode(ids) == text)
    }
  }

  @Test func finalIncompleteCharacterBecomesOneReplacement() throws {
    let tok = try fixtureTokenizer()
    let bytes: [UInt8] = [0x61, 0xF0, 0x9F, 0xA4]  // "a" + 3 of the 4 bytes of 🤗
    let ids = bytes.withUnsafeBufferPointer { tok.encode(bytes: $0) }
    var stream = StreamingDecoder(tokenizer: tok)
    #expect(ids.map { stream.push($0) }.joined() == "a")
    #expect(stream.pendingBytes == [0xF0, 0x9F, 0xA4])
    #expect(stream.finish() == "\u{FFFD}")
    #expect(tok.decode(ids) == "a\u{FFFD}")
  }

  @Test func strayContinuationIsReplacedAtOnce() throws {
    let tok = try fixtureTokenizer()
    var stream = StreamingDecoder(tokenizer: tok)
    let id = [UInt8(0x80)].withUnsafeBufferPointer { tok.encode(bytes: $0) }[0]
    #expect(stream.push(id) == "\u{FFFD}")
  }

  @Test func incompleteSuffixRule() {
    #expect(StreamingDecoder.incompleteSuffixLength([0x61, 0xE6, 0xAD]) == 2)
    #expect(StreamingDecoder.incompleteSuffixLength([0xE6, 0xAD, 0xAA]) == 0)
    #expect(StreamingDecoder.incompleteSuffixLength([0xED, 0xA0]) == 0)  // would be a surrogate
    #expect(StreamingDecoder.incompleteSuffixLength([0xF0]) == 1)
    #expect(StreamingDecoder.incompleteSuffixLength([0xFF]) == 0)
  }
}
