// What every consumer of stage-3 output shares: the header facts (kind, dtype, tokenizer identity,
// special ids, config), one encoded record (its split and documents), and the sink protocol that the
// shard-directory writer and the stream writer both implement, so `convert -o DIR` and
// `convert -o - | rmprep shards --from-stream - -o DIR` go through the same writer.

import Corpus

/// The facts fixed before the first record: written in the stream header and the manifest.
public struct ShardHeader: Sendable, Equatable {
  public var config: TargetConfig
  /// Token dtype of the `.bin` files (`MegatronDType.optimal(vocabularySize:)`).
  public var dtype: MegatronDType
  public var vocabularySize: Int
  public var specialIDs: SpecialIDs
  /// sha256 (hex) of `tokenizerFile`.
  public var tokenizerSHA256: String
  /// The tokenizer.json bytes (copied into the directory / carried by the stream).
  public var tokenizerFile: [UInt8]

  /// Creates a header; the dtype follows the vocabulary size.
  public init(config: TargetConfig, tokenizer: any TargetTokenizer) {
    self.init(
      config: config, vocabularySize: tokenizer.vocabularySize, specialIDs: tokenizer.specialIDs,
      tokenizerFile: tokenizer.fileBytes)
  }

  /// Creates a header from its parts; the sha256 is computed from `tokenizerFile`.
  public init(
    config: TargetConfig, vocabularySize: Int, specialIDs: SpecialIDs, tokenizerFile: [UInt8],
    dtype: MegatronDType? = nil
  ) {
    self.config = config
    self.dtype = dtype ?? MegatronDType.optimal(vocabularySize: vocabularySize)
    self.vocabularySize = vocabularySize
    self.specialIDs = specialIDs
    self.tokenizerFile = tokenizerFile
    self.tokenizerSHA256 = SHA256.hash(tokenizerFile).hex
  }
}

/// One converted record: its id (the 16 hex digits as an integer), split and documents.
public struct EncodedRecord: Sendable, Equatable {
  /// `UInt64(record.id, radix: 16)`.
  public var id: UInt64
  public var split: Split
  /// Documents, each a list of sequences (seq2seq/sft/prompts: one; pairs: chosen, rejected).
  public var documents: [[TokenSequence]]

  /// Creates a record.
  public init(id: UInt64, split: Split, documents: [[TokenSequence]]) {
    self.id = id
    self.split = split
    self.documents = documents
  }
}

/// The end-of-run facts: accounting from the builder, the length report and upstream (ingest) stats.
public struct ShardSummary: Sendable, Equatable {
  /// `TargetStats.jsonValue` plus anything else the producer wants recorded.
  public var accounting: JSONValue
  /// `LengthReport.jsonValue`.
  public var lengths: JSONValue
  /// The ingest stage's accounting, as it reported it (`null` when records were read directly).
  public var upstream: JSONValue

  /// Creates a summary.
  public init(accounting: JSONValue, lengths: JSONValue, upstream: JSONValue = .null) {
    self.accounting = accounting
    self.lengths = lengths
    self.upstream = upstream
  }

  /// As one JSON object (stream trailer).
  public var jsonValue: JSONValue {
    .object([
      (key: "accounting", value: accounting), (key: "lengths", value: lengths),
      (key: "upstream", value: upstream),
    ])
  }

  /// Reads `jsonValue` back.
  public init(json: JSONValue) {
    self.init(
      accounting: json["accounting"] ?? .null, lengths: json["lengths"] ?? .null,
      upstream: json["upstream"] ?? .null)
  }
}

/// Where encoded records go: a shard directory or a stream.
public protocol TargetSink: AnyObject {
  /// Writes one record (in input order).
  func write(_ record: EncodedRecord) throws
  /// Completes the output: after this returns it is complete and verifiable.
  func finish(summary: ShardSummary) throws
  /// Abandons the output, leaving nothing that looks complete.
  func discard()
}
