// The fast encoder (flat scan, heap path, whole-piece table) against the reference encoder.

import Testing

@testable import BPE

@Suite struct EncoderTests {
  @Test(arguments: [PretokenizerPattern.gpt2, .cl100k, .o200k])
  func matchesReferenceOnFixtureLines(pattern: PretokenizerPattern) throws {
    let tok = try fixtureTokenizer(pattern: pattern)
    let text = try String(contentsOfFile: fixture("bpe/corpus.txt"), encoding: .utf8)
    for line in text.split(separator: "\n").map(String.init) {
      #expect(tok.encode(line) == (try tok.model.referenceEncode(line)), "\(line)")
      #expect(tok.decode(tok.encode(line)) == line)
    }
  }

  @Test func heapPathEqualsFlatPath() throws {
    let tok = try fixtureTokenizer()
    var rng = PretokenizerTests.SplitMix(state: 7)
    let letters = Array("aaaabbbcdeeeeeinorst")
    for _ in 0..<50 {
      let n = 130 + Int(rng.next() % 300)
      let piece = Array(
        String((0..<n).map { _ in letters[Int(rng.next() % UInt64(letters.count))] }).utf8)
      var flat: [TokenID] = []
      var heap: [TokenID] = []
      var scratch = EncodeScratch()
      piece.withUnsafeBufferPointer {
        tok.encoder.mergeFlat($0, into: &flat, scratch: &scratch)
        tok.encoder.mergeWithHeap($0, into: &heap)
      }
      #expect(flat == heap)
      #expect(flat == tok.model.referenceEncodePiece(piece))
    }
  }

  @Test func roundTripsRandomBytes() throws {
    // K14: any byte string encodes without trapping and decodes to the same bytes.
    let tok = try fixtureTokenizer()
    var rng = PretokenizerTests.SplitMix(state: 99)
    for _ in 0..<200 {
      let bytes = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      let ids = bytes.withUnsafeBufferPointer { tok.encode(bytes: $0) }
      #expect(tok.decodeBytes(ids) == bytes)
    }
    let truncated: [UInt8] = [0xE6, 0xAD]  // 歪 cut after two bytes
    let ids = truncated.withUnsafeBufferPointer { tok.encode(bytes: $0) }
    #expect(tok.decodeBytes(ids) == truncated)
    #expect(tok.decode(ids) == "\u{FFFD}")
  }

  @Test func specialTokenTextIsOrdinaryText() throws {
    // K12: "<|eos|>" inside data never becomes the eos id.
    let tok = try fixtureTokenizer()
    let text = "To end a sample, GPT-2 uses <|endoftext|> as a marker; ours is <|eos|>."
    let ids = tok.encode(text)
    #expect(!ids.contains(where: tok.isSpecialToken))
    #expect(tok.decode(ids) == text)
  }

  @Test func specialTextMatchesOnlyWhenAsked() throws {
    let tok = try fixtureTokenizer()
    let ids = tok.encodeMatchingSpecialTokens("a<|eos|>b<|sep_resp|>")
    #expect(
      ids == tok.encode("a") + [tok.specialIDs.eos] + tok.encode("b") + [tok.specialIDs.sepResp])
    #expect(tok.encodeMatchingSpecialTokens("no specials here") == tok.encode("no specials here"))
  }

  @Test func batchEqualsMap() throws {
    let tok = try fixtureTokenizer()
    let lines = try String(contentsOfFile: fixture("bpe/corpus.txt"), encoding: .utf8)
      .split(separator: "\n").map(String.init)
    #expect(tok.encodeBatch(lines, threadCount: 3) == lines.map(tok.encode))
  }
}
