// GPT-2 `vocab.json` + `merges.txt` (OpenAI `encoder.json` + `vocab.bpe`), INTEROP.md §3.7.

import Corpus

/// Reads the GPT-2 vocabulary pair.
public enum GPT2Files {
  /// Parses `vocab.json` (`{token: id}`) and `merges.txt` (`#version` line, then `a b` per
  /// line). `<|endoftext|>` becomes a special token when present. The pretokenizer is gpt2.
  public static func parse(vocab: [UInt8], vocabPath: String, merges: [UInt8], mergesPath: String)
    throws -> BPEModel
  {
    guard let members = try JSONParser.parse(vocab, path: vocabPath).objectValue else {
      throw BPEError.malformedTokenizer(path: vocabPath, pointer: "", detail: "not a JSON object")
    }
    var entries: [(text: String, id: Int)] = []
    var added: [(content: String, id: Int)] = []
    for (key, value) in members {
      guard let id = value.intValue, id >= 0 else {
        throw BPEError.malformedTokenizer(
          path: vocabPath, pointer: "/\(TokenizerJSON.escapePointer(key))",
          detail: "id is not a non-negative integer")
      }
      entries.append((key, id))
      if key == "<|endoftext|>" { added.append((key, id)) }
    }
    var pairs: [(String, String)] = []
    let lines = String(decoding: merges, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    for (k, line) in lines.enumerated() {
      if line.isEmpty || (k == 0 && line.hasPrefix("#version")) { continue }
      let parts = line.split(separator: " ", omittingEmptySubsequences: false)
      guard parts.count == 2 else {
        throw BPEError.malformedTokenizer(
          path: mergesPath, pointer: "line \(k + 1)",
          detail: "expected two tokens split by one space")
      }
      pairs.append((String(parts[0]), String(parts[1])))
    }
    return try TokenizerJSON.buildModel(
      vocab: entries, merges: pairs, added: added, pattern: .gpt2, path: mergesPath,
      mergesPointer: "line")
  }
}
