// The tokenizer the other stages use: load a file, encode text, decode ids.

import Corpus
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// A loaded byte-level BPE tokenizer: immutable, shareable across threads.
///
///     let tok = try Tokenizer.load(path: "tokenizer.json")
///     let ids = tok.encode("Hello world")            // special-token text stays ordinary text
///     tok.decode(ids) == "Hello world"               // true for every string
///     tok.specialIDs.eos                             // read ids, never hard-code them
///
/// The specials `<|pad|> <|bos|> <|eos|> <|sep_resp|> <|sep_corr|>` always exist: a tokenizer
/// we train has them at ids 0–4; `load` appends any that a user's file lacks after its
/// vocabulary (DESIGN.md). `serializedJSON()` is the tokenizer as `tokenizer.json` bytes,
/// including appended specials; shard and run directories copy exactly these bytes, and
/// `fileSHA256` is their hash.
public final class Tokenizer: Sendable {
  /// The vocabulary, merges, specials and pattern.
  public let model: BPEModel
  /// The ids of the five special tokens.
  public let specialIDs: SpecialTokenIDs
  /// SHA-256 (lowercase hex) of `serializedJSON()`.
  public let fileSHA256: String
  let json: [UInt8]
  let encoder: BPEEncoder
  let isSpecial: [Bool]

  /// Wraps `model`, appending any of the five specials it lacks. Throws if the model is
  /// inconsistent (see `BPEModel.validate`).
  public init(model: BPEModel, path: String = "<model>") throws {
    var model = model
    try model.validate(path: path)
    Self.appendMissingSpecials(&model)
    self.model = model
    var ids: [TokenID] = []
    for name in SpecialTokenIDs.strings {
      ids.append(model.specialTokens.first { $0.content == name }!.id)
    }
    specialIDs = SpecialTokenIDs(
      pad: ids[0], bos: ids[1], eos: ids[2], sepResp: ids[3], sepCorr: ids[4])
    json = TokenizerJSON.serialize(model)
    fileSHA256 = SHA256.hash(json).hex
    encoder = BPEEncoder(model: model)
    var special = [Bool](repeating: false, count: model.tokens.count)
    for s in model.specialTokens { special[Int(s.id)] = true }
    isSpecial = special
  }

  /// Loads `tokenizer.json`, a `.tiktoken` rank file (pretokenized with `pattern`, default
  /// cl100k), or a GPT-2 `vocab.json` whose `merges.txt` sits beside it.
  public static func load(path: String, pattern: PretokenizerPattern? = nil) throws -> Tokenizer {
    let bytes = try readFile(path)
    let model: BPEModel
    if path.hasSuffix(".tiktoken") {
      model = try TiktokenFile.parse(bytes, path: path, pattern: pattern ?? .cl100k)
    } else if path.hasSuffix("vocab.json") {
      let mergesPath = String(path.dropLast("vocab.json".count)) + "merges.txt"
      model = try GPT2Files.parse(
        vocab: bytes, vocabPath: path, merges: try readFile(mergesPath), mergesPath: mergesPath)
    } else {
      model = try TokenizerJSON.parse(bytes, path: path)
    }
    return try Tokenizer(model: model, path: path)
  }

  /// Number of ids (including the specials).
  public var vocabSize: Int { model.tokens.count }

  /// The exact `tokenizer.json` bytes whose hash is `fileSHA256`.
  public func serializedJSON() -> [UInt8] { json }

  /// The ids of `text`. Special-token strings in `text` are encoded as ordinary text
  /// (KNOWN-FAULTS K12). O(n) in the text length for natural text.
  public func encode(_ text: String) -> [TokenID] {
    var out: [TokenID] = []
    var scratch = EncodeScratch()
    var text = text
    text.withUTF8 { encoder.encode($0, into: &out, scratch: &scratch) }
    return out
  }

  /// The ids of arbitrary bytes: invalid UTF-8 is encoded byte by byte and pretokenized as a
  /// separator (KNOWN-FAULTS K14); never traps.
  public func encode(bytes: UnsafeBufferPointer<UInt8>) -> [TokenID] {
    var out: [TokenID] = []
    var scratch = EncodeScratch()
    encoder.encode(bytes, into: &out, scratch: &scratch)
    return out
  }

  /// `texts.map(encode)`, computed on `threadCount` threads; order is kept.
  public func encodeBatch(_ texts: [String], threadCount: Int) -> [[TokenID]] {
    var results = [[TokenID]](repeating: [], count: texts.count)
    let workers = max(1, min(threadCount, texts.count))
    if workers == 1 { return texts.map(encode) }
    results.withUnsafeMutableBufferPointer { buffer in
      // Each worker writes only the indices k with k % workers == w: the slots are disjoint.
      nonisolated(unsafe) let out = buffer
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        var scratch = EncodeScratch()
        var k = w
        while k < texts.count {
          var ids: [TokenID] = []
          var text = texts[k]
          text.withUTF8 { encoder.encode($0, into: &ids, scratch: &scratch) }
          out[k] = ids
          k += workers
        }
      }
    }
    return results
  }

  /// The bytes of token `id` (a special token's bytes are its UTF-8 text); empty when `id` is
  /// out of range.
  public func tokenBytes(_ id: TokenID) -> [UInt8] {
    Int(id) < model.tokens.count ? model.tokens[Int(id)] : []
  }

  /// True when `id` is one of the special (added) tokens.
  public func isSpecialToken(_ id: TokenID) -> Bool {
    Int(id) < isSpecial.count && isSpecial[Int(id)]
  }

  /// The concatenated bytes of `ids`; an id out of range contributes U+FFFD's bytes.
  public func decodeBytes(_ ids: [TokenID]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(ids.count * 4)
    for id in ids {
      if Int(id) < model.tokens.count {
        out.append(contentsOf: model.tokens[Int(id)])
      } else {
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
      }
    }
    return out
  }

  /// The text of `ids`. Replacement rule: the bytes are decoded as UTF-8 and every maximal
  /// invalid subsequence (Unicode §3.9 "maximal subpart", e.g. an incomplete final
  /// character) becomes one U+FFFD. `decode(encode(s)) == s` for every string `s`.
  public func decode(_ ids: [TokenID]) -> String {
    String(decoding: decodeBytes(ids), as: UTF8.self)
  }

  /// Adds the five DESIGN.md specials that `model` lacks, after its last id.
  static func appendMissingSpecials(_ model: inout BPEModel) {
    for name in SpecialTokenIDs.strings
    where !model.specialTokens.contains(where: { $0.content == name }) {
      let id = TokenID(model.tokens.count)
      model.tokens.append(Array(name.utf8))
      model.specialTokens.append((name, id))
    }
  }
}

/// Reads a whole file; throws `CorpusError.cannotOpen`/`readFailed`.
func readFile(_ path: String) throws -> [UInt8] {
  let fd = open(path, O_RDONLY)
  guard fd >= 0 else { throw CorpusError.cannotOpen(path: path, errno: errno) }
  defer { close(fd) }
  var out: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 20)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 {
      if errno == EINTR { continue }
      throw CorpusError.readFailed(path: path, errno: errno)
    }
    if n == 0 { break }
    out.append(contentsOf: chunk[0..<n])
  }
  return out
}
