// `manifest.json` of a shard directory (Schemas/manifest.schema.json), written last: its presence
// marks the directory complete. Deterministic: fixed key order, no timestamps, files sorted by name,
// so re-running gives the same bytes. Pretty-printed (humans read it) with a trailing newline.

import Corpus

/// One Megatron pair of a split: `prefix.{bin,idx}` and `prefix_mask.{bin,idx}`.
public struct ShardPart: Sendable, Equatable {
  public var prefix: String
  public var documents: Int
  public var sequences: Int
  public var tokens: Int

  /// Creates a part record.
  public init(prefix: String, documents: Int, sequences: Int, tokens: Int) {
    self.prefix = prefix
    self.documents = documents
    self.sequences = sequences
    self.tokens = tokens
  }

  /// The mask pair's prefix.
  public var maskPrefix: String { prefix + "_mask" }
}

/// Counts of one split.
public struct SplitSummary: Sendable, Equatable {
  public var records = 0
  public var documents = 0
  public var sequences = 0
  public var tokens = 0
  /// Tokens whose mask is 1.
  public var labelTokens = 0
  public var parts: [ShardPart] = []

  /// Creates empty counts.
  public init() {}
}

/// The parsed manifest.
public struct ShardManifest: Sendable, Equatable {
  /// The schema identifier written in every manifest.
  public static let schema = "seq2seqrm.shards/1"
  /// The manifest's file name.
  public static let fileName = "manifest.json"
  /// The tokenizer copy's file name.
  public static let tokenizerFileName = "tokenizer.json"

  public var header: ShardHeaderFacts
  public var splits: [Split: SplitSummary]
  public var summary: ShardSummary
  public var toolVersion: String
  /// Every other file of the directory, sorted by name.
  public var files: [ShardFile]

  /// Creates a manifest.
  public init(
    header: ShardHeaderFacts, splits: [Split: SplitSummary], summary: ShardSummary,
    toolVersion: String, files: [ShardFile]
  ) {
    self.header = header
    self.splits = splits
    self.summary = summary
    self.toolVersion = toolVersion
    self.files = files.sorted { $0.name < $1.name }
  }

  /// Convenience accessors.
  public var targetKind: TargetKind { header.config.kind }
  public var tokenizerSHA256: String { header.tokenizerSHA256 }
  public var specialIDs: SpecialIDs { header.specialIDs }
  public var vocabularySize: Int { header.vocabularySize }
  public var dtype: MegatronDType { header.dtype }

  /// The manifest as JSON.
  public var jsonValue: JSONValue {
    let specials = zip(SpecialIDs.names, header.specialIDs.ordered).map {
      (key: $0.0, value: JSONValue.int($0.1))
    }
    let splitValues = Split.allCases.map { split -> (key: String, value: JSONValue) in
      let s = splits[split] ?? SplitSummary()
      let parts = s.parts.map { part -> JSONValue in
        .object([
          (key: "prefix", value: .string(part.prefix)),
          (key: "mask_prefix", value: .string(part.maskPrefix)),
          (key: "documents", value: .int(part.documents)),
          (key: "sequences", value: .int(part.sequences)),
          (key: "tokens", value: .int(part.tokens)),
        ])
      }
      return (
        key: split.rawValue,
        value: .object([
          (key: "records", value: .int(s.records)), (key: "documents", value: .int(s.documents)),
          (key: "sequences", value: .int(s.sequences)), (key: "tokens", value: .int(s.tokens)),
          (key: "label_tokens", value: .int(s.labelTokens)), (key: "shards", value: .array(parts)),
        ])
      )
    }
    return .object([
      (key: "schema", value: .string(Self.schema)),
      (
        key: "tool",
        value: .object([
          (key: "name", value: .string("rmprep")), (key: "version", value: .string(toolVersion)),
        ])
      ),
      (key: "target_kind", value: .string(header.config.kind.rawValue)),
      (key: "dtype", value: .string(header.dtype.name)),
      (key: "dtype_code", value: .int(Int(header.dtype.rawValue))),
      (
        key: "tokenizer",
        value: .object([
          (key: "file", value: .string(Self.tokenizerFileName)),
          (key: "sha256", value: .string(header.tokenizerSHA256)),
          (key: "vocab_size", value: .int(header.vocabularySize)),
          (key: "special_ids", value: .object(specials)),
        ])
      ),
      (key: "config", value: header.config.jsonValue),
      (key: "splits", value: .object(splitValues)),
      (key: "accounting", value: summary.accounting),
      (key: "lengths", value: summary.lengths),
      (key: "upstream", value: summary.upstream),
      (
        key: "files",
        value: .array(
          files.map {
            .object([
              (key: "name", value: .string($0.name)), (key: "bytes", value: .int($0.bytes)),
              (key: "sha256", value: .string($0.sha256)),
            ])
          })
      ),
    ])
  }

  /// The bytes written to `manifest.json`.
  public func encoded() -> [UInt8] {
    Array((JSONWriter.prettyString(jsonValue) + "\n").utf8)
  }

  /// Parses and checks a manifest's shape (not the files it lists).
  /// - Throws: `ShardError.invariantViolated` naming `path` and the field.
  public static func decode(_ bytes: [UInt8], path: String) throws -> ShardManifest {
    let json: JSONValue
    do { json = try JSONParser.parse(bytes, path: path) } catch {
      throw ShardError.invariantViolated(path: path, detail: "not valid JSON: \(error)")
    }
    func bad(_ field: String) -> ShardError {
      .invariantViolated(path: path, detail: "field '\(field)' is missing or invalid")
    }
    guard json["schema"]?.stringValue == schema else { throw bad("schema (expected \(schema))") }
    guard let version = json["tool"]?["version"]?.stringValue else { throw bad("tool.version") }
    guard let config = json["config"] else { throw bad("config") }
    let targetConfig = try TargetConfig(json: config, path: path)
    guard json["target_kind"]?.stringValue == targetConfig.kind.rawValue else {
      throw bad("target_kind")
    }
    guard let code = json["dtype_code"]?.intValue,
      let dtype = MegatronDType(rawValue: UInt8(clamping: code)),
      dtype != .uint8, json["dtype"]?.stringValue == dtype.name
    else { throw bad("dtype/dtype_code") }
    guard let tokenizer = json["tokenizer"], let sha = tokenizer["sha256"]?.stringValue,
      sha.count == 64, let vocab = tokenizer["vocab_size"]?.intValue, vocab > 0
    else { throw bad("tokenizer") }
    var ids: [UInt32] = []
    for name in SpecialIDs.names {
      guard let id = tokenizer["special_ids"]?[name]?.intValue, id >= 0, id < vocab else {
        throw bad("tokenizer.special_ids.\(name)")
      }
      ids.append(UInt32(id))
    }
    var splits: [Split: SplitSummary] = [:]
    for split in Split.allCases {
      guard let s = json["splits"]?[split.rawValue], let records = s["records"]?.intValue,
        let documents = s["documents"]?.intValue, let sequences = s["sequences"]?.intValue,
        let tokens = s["tokens"]?.intValue, let labels = s["label_tokens"]?.intValue,
        let parts = s["shards"]?.arrayValue
      else { throw bad("splits.\(split.rawValue)") }
      var summary = SplitSummary()
      (summary.records, summary.documents, summary.sequences) = (records, documents, sequences)
      (summary.tokens, summary.labelTokens) = (tokens, labels)
      for part in parts {
        guard let prefix = part["prefix"]?.stringValue, let d = part["documents"]?.intValue,
          let q = part["sequences"]?.intValue, let t = part["tokens"]?.intValue,
          !prefix.contains("/"), !prefix.isEmpty
        else { throw bad("splits.\(split.rawValue).shards") }
        summary.parts.append(ShardPart(prefix: prefix, documents: d, sequences: q, tokens: t))
      }
      splits[split] = summary
    }
    var files: [ShardFile] = []
    for entry in json["files"]?.arrayValue ?? [] {
      guard let name = entry["name"]?.stringValue, !name.contains("/"),
        let size = entry["bytes"]?.intValue, let digest = entry["sha256"]?.stringValue
      else { throw bad("files") }
      files.append(ShardFile(name: name, bytes: size, sha256: digest))
    }
    let header = ShardHeaderFacts(
      config: targetConfig, dtype: dtype, vocabularySize: vocab,
      specialIDs: SpecialIDs(ordered: ids), tokenizerSHA256: sha)
    let summary = ShardSummary(
      accounting: json["accounting"] ?? .null, lengths: json["lengths"] ?? .null,
      upstream: json["upstream"] ?? .null)
    return ShardManifest(
      header: header, splits: splits, summary: summary, toolVersion: version, files: files)
  }
}

/// The header facts without the tokenizer bytes (what a manifest records).
public struct ShardHeaderFacts: Sendable, Equatable {
  public var config: TargetConfig
  public var dtype: MegatronDType
  public var vocabularySize: Int
  public var specialIDs: SpecialIDs
  public var tokenizerSHA256: String

  /// Creates the facts.
  public init(
    config: TargetConfig, dtype: MegatronDType, vocabularySize: Int, specialIDs: SpecialIDs,
    tokenizerSHA256: String
  ) {
    self.config = config
    self.dtype = dtype
    self.vocabularySize = vocabularySize
    self.specialIDs = specialIDs
    self.tokenizerSHA256 = tokenizerSHA256
  }

  /// The facts of a full header.
  public init(_ header: ShardHeader) {
    self.init(
      config: header.config, dtype: header.dtype, vocabularySize: header.vocabularySize,
      specialIDs: header.specialIDs, tokenizerSHA256: header.tokenizerSHA256)
  }
}
