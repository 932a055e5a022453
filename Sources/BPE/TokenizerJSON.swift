// Hugging Face `tokenizer.json` (byte-level BPE) reader and writer (INTEROP.md §3.1–3.6).

import Corpus

/// Reads and writes byte-level BPE models as Hugging Face `tokenizer.json`.
///
/// The writer emits the layout `tokenizers` 0.23 writes (key order of its Rust serializer,
/// merges as string pairs, two-space indentation), so the file loads there and gives the same
/// ids. The reader accepts both merge encodings (`"a b"` and `["a","b"]`), pretty or compact
/// files, and missing keys with their documented defaults.
public enum TokenizerJSON {
  /// The bytes of `model` as a pretty-printed `tokenizer.json`, ending in a newline.
  public static func serialize(_ model: BPEModel) -> [UInt8] {
    var out: [UInt8] = []
    JSONWriter.writePretty(document(model), into: &out)
    out.append(0x0A)
    return out
  }

  /// The JSON document for `model`.
  public static func document(_ model: BPEModel) -> JSONValue {
    let special = Dictionary(
      model.specialTokens.map { ($0.id, $0.content) }, uniquingKeysWith: { a, _ in a })
    let added: [JSONValue] = model.specialTokens.sorted { $0.id < $1.id }.map { token in
      .object([
        ("id", .int(token.id)), ("content", .string(token.content)),
        ("single_word", .bool(false)), ("lstrip", .bool(false)), ("rstrip", .bool(false)),
        ("normalized", .bool(false)), ("special", .bool(true)),
      ])
    }
    var seen = Set<String>()
    var vocab: [(key: String, value: JSONValue)] = []
    vocab.reserveCapacity(model.tokens.count)
    for (id, bytes) in model.tokens.enumerated() {
      let text = special[TokenID(id)] ?? ByteLevel.encode(bytes)
      if seen.insert(text).inserted { vocab.append((text, .int(id))) }
    }
    let merges: [JSONValue] = model.merges.map { merge in
      .array([
        .string(ByteLevel.encode(model.tokens[Int(merge.left)])),
        .string(ByteLevel.encode(model.tokens[Int(merge.right)])),
      ])
    }
    let byteLevel: (Bool) -> JSONValue = { useRegex in
      .object([
        ("type", .string("ByteLevel")), ("add_prefix_space", .bool(false)),
        ("trim_offsets", .bool(true)), ("use_regex", .bool(useRegex)),
      ])
    }
    let preTokenizer: JSONValue
    if model.pattern == .gpt2 {
      preTokenizer = byteLevel(true)
    } else {
      preTokenizer = .object([
        ("type", .string("Sequence")),
        (
          "pretokenizers",
          .array([
            .object([
              ("type", .string("Split")),
              ("pattern", .object([("Regex", .string(model.pattern.huggingFaceRegex))])),
              ("behavior", .string("Isolated")), ("invert", .bool(false)),
            ]),
            byteLevel(false),
          ])
        ),
      ])
    }
    return .object([
      ("version", .string("1.0")),
      ("truncation", .null),
      ("padding", .null),
      ("added_tokens", .array(added)),
      ("normalizer", .null),
      ("pre_tokenizer", preTokenizer),
      (
        "post_processor",
        .object([
          ("type", .string("ByteLevel")), ("add_prefix_space", .bool(false)),
          ("trim_offsets", .bool(false)), ("use_regex", .bool(true)),
        ])
      ),
      ("decoder", byteLevel(true)),
      (
        "model",
        .object([
          ("type", .string("BPE")), ("dropout", .null), ("unk_token", .null),
          ("continuing_subword_prefix", .null), ("end_of_word_suffix", .null),
          ("fuse_unk", .bool(false)), ("byte_fallback", .bool(false)),
          ("ignore_merges", .bool(model.ignoreMerges)),
          ("vocab", .object(vocab)), ("merges", .array(merges)),
        ])
      ),
    ])
  }

  /// Parses a `tokenizer.json`. Errors carry `path` and the JSON pointer of the problem.
  public static func parse(_ bytes: [UInt8], path: String) throws -> BPEModel {
    func malformed(_ pointer: String, _ detail: String) -> BPEError {
      .malformedTokenizer(path: path, pointer: pointer, detail: detail)
    }
    let hint = "; give the tokenizer.json that 'rmprep tokenizer train' wrote (or a .tiktoken file)"
    let root: JSONValue
    do { root = try JSONParser.parse(bytes, path: path) } catch {
      throw malformed("", "not a tokenizer.json (\(error))" + hint)
    }
    func unsupported(_ pointer: String, _ detail: String) -> BPEError {
      .unsupportedTokenizer(path: path, pointer: pointer, detail: detail)
    }
    guard case .object = root else {
      throw malformed("", "not a tokenizer.json (the top level is not an object)" + hint)
    }
    guard let model = root["model"], case .object = model else {
      throw malformed("", "not a tokenizer.json (no \"model\" object)" + hint)
    }
    if let type = model["type"], type.stringValue != "BPE" {
      throw unsupported("/model/type", "model type \(JSONWriter.string(type))")
    }
    if let fallback = model["byte_fallback"]?.boolValue, fallback {
      throw unsupported("/model/byte_fallback", "byte_fallback is true")
    }
    for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
      if let value = model[key], !value.isNull, value.stringValue != "" {
        throw unsupported("/model/\(key)", "non-empty \(key)")
      }
    }
    if let normalizer = root["normalizer"], !normalizer.isNull {
      throw unsupported("/normalizer", "a normalizer is set")
    }
    let pattern = try parsePreTokenizer(root["pre_tokenizer"], path: path)
    guard let vocabMembers = model["vocab"]?.objectValue else {
      throw malformed("/model/vocab", "missing or not an object")
    }
    var vocab: [(text: String, id: Int)] = []
    for (key, value) in vocabMembers {
      guard let id = value.intValue, id >= 0, id < 1 << 31 else {
        throw malformed("/model/vocab/\(escapePointer(key))", "id is not a non-negative integer")
      }
      vocab.append((key, id))
    }
    var added: [(content: String, id: Int)] = []
    for (k, token) in (root["added_tokens"]?.arrayValue ?? []).enumerated() {
      guard let id = token["id"]?.intValue, id >= 0, let content = token["content"]?.stringValue
      else { throw malformed("/added_tokens/\(k)", "needs an integer id and a string content") }
      added.append((content, id))
    }
    var mergePairs: [(String, String)] = []
    for (k, merge) in (model["merges"]?.arrayValue ?? []).enumerated() {
      if let text = merge.stringValue {
        if text.hasPrefix("#version") { continue }
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
          throw malformed(
            "/model/merges/\(k)", "a merge string must be two tokens split by one space")
        }
        mergePairs.append((String(parts[0]), String(parts[1])))
      } else if let pair = merge.arrayValue, pair.count == 2, let a = pair[0].stringValue,
        let b = pair[1].stringValue
      {
        mergePairs.append((a, b))
      } else {
        throw malformed("/model/merges/\(k)", "a merge must be \"a b\" or [\"a\", \"b\"]")
      }
    }
    var result = try buildModel(
      vocab: vocab, merges: mergePairs, added: added, pattern: pattern, path: path,
      mergesPointer: "/model/merges")
    result.ignoreMerges = model["ignore_merges"]?.boolValue ?? false
    return result
  }

  /// Maps a `pre_tokenizer` object to one of our patterns, or throws `unsupportedTokenizer`.
  static func parsePreTokenizer(_ value: JSONValue?, path: String) throws -> PretokenizerPattern {
    func unsupported(_ pointer: String, _ detail: String) -> BPEError {
      .unsupportedTokenizer(path: path, pointer: pointer, detail: detail)
    }
    guard let value, !value.isNull else {
      throw unsupported("/pre_tokenizer", "no pre_tokenizer")
    }
    func checkByteLevel(_ v: JSONValue, _ pointer: String, useRegexDefault: Bool) throws -> Bool {
      guard v["type"]?.stringValue == "ByteLevel" else {
        throw unsupported(pointer, "expected a ByteLevel pre-tokenizer")
      }
      if v["add_prefix_space"]?.boolValue == true {
        throw unsupported("\(pointer)/add_prefix_space", "add_prefix_space is true")
      }
      return v["use_regex"]?.boolValue ?? useRegexDefault
    }
    if value["type"]?.stringValue == "ByteLevel" {
      guard try checkByteLevel(value, "/pre_tokenizer", useRegexDefault: true) else {
        throw unsupported("/pre_tokenizer/use_regex", "ByteLevel without a regex split")
      }
      return .gpt2
    }
    guard value["type"]?.stringValue == "Sequence",
      let steps = value["pretokenizers"]?.arrayValue, steps.count == 2
    else {
      throw unsupported("/pre_tokenizer", "expected ByteLevel or Sequence[Split, ByteLevel]")
    }
    let split = steps[0]
    guard split["type"]?.stringValue == "Split", let regex = split["pattern"]?["Regex"]?.stringValue
    else {
      throw unsupported("/pre_tokenizer/pretokenizers/0", "expected a Split with a Regex pattern")
    }
    guard split["behavior"]?.stringValue == "Isolated", split["invert"]?.boolValue != true else {
      throw unsupported("/pre_tokenizer/pretokenizers/0", "Split must be Isolated, not inverted")
    }
    guard let pattern = PretokenizerPattern.matching(regex: regex) else {
      throw unsupported("/pre_tokenizer/pretokenizers/0/pattern", "unknown regex \(regex)")
    }
    if try checkByteLevel(steps[1], "/pre_tokenizer/pretokenizers/1", useRegexDefault: true) {
      throw unsupported("/pre_tokenizer/pretokenizers/1/use_regex", "a second regex split")
    }
    return pattern
  }

  /// Builds a model from byte-level vocab strings, merge string pairs and added tokens.
  static func buildModel(
    vocab: [(text: String, id: Int)], merges: [(String, String)],
    added: [(content: String, id: Int)], pattern: PretokenizerPattern, path: String,
    mergesPointer: String
  ) throws -> BPEModel {
    let size = max(vocab.map(\.id).max() ?? -1, added.map(\.id).max() ?? -1) + 1
    var tokens = [[UInt8]?](repeating: nil, count: size)
    var idOf: [String: TokenID] = [:]
    let addedIDs = Set(added.map(\.id))
    for entry in vocab {
      idOf[entry.text] = TokenID(entry.id)
      if addedIDs.contains(entry.id) { continue }
      guard let bytes = ByteLevel.decode(entry.text) else {
        throw BPEError.malformedTokenizer(
          path: path, pointer: "/model/vocab/\(escapePointer(entry.text))",
          detail: "token has characters outside the byte-level alphabet")
      }
      tokens[entry.id] = bytes
    }
    var specials: [(content: String, id: TokenID)] = []
    for token in added.sorted(by: { $0.id < $1.id }) {
      tokens[token.id] = Array(token.content.utf8)
      specials.append((token.content, TokenID(token.id)))
    }
    if let hole = tokens.firstIndex(where: { $0 == nil }) {
      throw BPEError.unsupportedTokenizer(
        path: path, pointer: "/model/vocab", detail: "no token has id \(hole) (ids must be dense)")
    }
    var mergeList: [BPEModel.Merge] = []
    mergeList.reserveCapacity(merges.count)
    for (k, (a, b)) in merges.enumerated() {
      guard let left = idOf[a], let right = idOf[b], let result = idOf[a + b] else {
        throw BPEError.malformedTokenizer(
          path: path, pointer: "\(mergesPointer)/\(k)",
          detail: "merge \"\(a) \(b)\" uses a token that is not in the vocabulary")
      }
      mergeList.append(BPEModel.Merge(left: left, right: right, result: result))
    }
    let model = BPEModel(
      tokens: tokens.map { $0! }, merges: mergeList, specialTokens: specials, pattern: pattern)
    try model.validate(path: path)
    return model
  }

  /// Escapes `~` and `/` for a JSON pointer segment (RFC 6901).
  static func escapePointer(_ s: String) -> String {
    var out = ""
    for c in s {
      switch c {
      case "~": out += "~0"
      case "/": out += "~1"
      default: out.append(c)
      }
    }
    return out
  }
}
