// tokenizer.json: round trip, both merge encodings, specials appended, errors with pointers.

import Corpus
import Testing

@testable import BPE

@Suite struct TokenizerJSONTests {
  @Test(arguments: [PretokenizerPattern.gpt2, .cl100k, .o200k])
  func roundTrip(pattern: PretokenizerPattern) throws {
    let tok = try fixtureTokenizer(pattern: pattern)
    let parsed = try TokenizerJSON.parse(tok.serializedJSON(), path: "t.json")
    #expect(parsed == tok.model)
    let again = try Tokenizer(model: parsed)
    #expect(again.fileSHA256 == tok.fileSHA256)
    #expect(again.serializedJSON() == tok.serializedJSON())
  }

  @Test func trainedIDsAndHeader() throws {
    let tok = try fixtureTokenizer()
    #expect(tok.specialIDs == SpecialTokenIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4))
    #expect(tok.vocabSize == 400)
    #expect(tok.tokenBytes(5) == [0x21])  // "!" is the first printable byte
    #expect(tok.tokenBytes(5 + 188) == [0x00])  // then the 68 others, byte 0 first
    let text = String(decoding: tok.serializedJSON(), as: UTF8.self)
    #expect(text.hasPrefix("{\n  \"version\": \"1.0\",\n  \"truncation\": null,"))
    #expect(tok.fileSHA256 == SHA256.hash(tok.serializedJSON()).hex)
  }

  /// A minimal GPT-2 style file: bytes at ids 0–255 in GPT-2 order, one merge, <|endoftext|>.
  func gpt2StyleJSON(mergesAsStrings: Bool) -> [UInt8] {
    var vocab: [(key: String, value: JSONValue)] = ByteLevel.bytesInAlphabetOrder.enumerated().map {
      (ByteLevel.encode([$0.element]), .int($0.offset))
    }
    vocab.append(("Ġt", .int(256)))
    vocab.append(("<|endoftext|>", .int(257)))
    let merge: JSONValue = mergesAsStrings ? .string("Ġ t") : .array([.string("Ġ"), .string("t")])
    let doc: JSONValue = .object([
      ("version", .string("1.0")),
      (
        "added_tokens",
        .array([
          .object([
            ("id", .int(257)), ("content", .string("<|endoftext|>")), ("special", .bool(true)),
          ])
        ])
      ),
      ("normalizer", .null),
      (
        "pre_tokenizer",
        .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(false))])
      ),
      ("model", .object([("vocab", .object(vocab)), ("merges", .array([merge]))])),
    ])
    return JSONWriter.bytes(doc)
  }

  @Test(arguments: [true, false])
  func readsBothMergeEncodingsAndAppendsSpecials(mergesAsStrings: Bool) throws {
    let model = try TokenizerJSON.parse(
      gpt2StyleJSON(mergesAsStrings: mergesAsStrings), path: "g.json")
    let tok = try Tokenizer(model: model)
    #expect(tok.encode(" t t") == [256, 256])
    #expect(tok.encode("!") == [0])
    // the five specials are appended after the user's 258 ids, in DESIGN.md order
    #expect(
      tok.specialIDs == SpecialTokenIDs(pad: 258, bos: 259, eos: 260, sepResp: 261, sepCorr: 262))
    #expect(tok.vocabSize == 263)
    #expect(tok.decode([257]) == "<|endoftext|>")
    #expect(tok.encode("<|endoftext|>").count > 1)  // K12: ordinary text
  }

  @Test func errorsCarryAPointer() throws {
    var bad = String(decoding: gpt2StyleJSON(mergesAsStrings: true), as: UTF8.self)
    bad = bad.replacingOccurrences(of: "\"Ġ t\"", with: "\"Ġ q\"")
    do {
      _ = try TokenizerJSON.parse(Array(bad.utf8), path: "g.json")
      Issue.record("expected an error")
    } catch let error as BPEError {
      #expect(
        error
          == .malformedTokenizer(
            path: "g.json", pointer: "/model/merges/0",
            detail: "merge \"Ġ q\" uses a token that is not in the vocabulary"))
    }
  }

  @Test func rejectsUnknownPretokenizer() {
    let doc = #"{"pre_tokenizer":{"type":"Whitespace"},"model":{"vocab":{},"merges":[]}}"#
    #expect(throws: BPEError.self) { try TokenizerJSON.parse(Array(doc.utf8), path: "w.json") }
  }
}
