// Writes a shard directory (DESIGN.md "Shard directory"): per split, Megatron token pairs
// `train.{bin,idx}` (or `train-00000…` when `shardTokens` rolls) and parallel uint8 mask pairs
// `train_mask.{bin,idx}` with identical lengths and document indices, a copy of tokenizer.json, and
// manifest.json written LAST. Everything is written into a temp sibling that replaces the directory
// only once complete (DirectoryReplacement), so a run that fails or is interrupted leaves a previous
// directory intact and nothing that looks complete.

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// A `TargetSink` that writes a shard directory.
public final class ShardDirectoryWriter: TargetSink {
  public let directory: String
  public let header: ShardHeader
  /// The temp sibling being filled; renamed to `directory` by `finish`.
  private let staging: String
  private let toolVersion: String
  private var open: [Split: (tokens: MegatronWriter, mask: MegatronWriter)] = [:]
  private var shardNumber: [Split: Int] = [:]
  private var splits: [Split: SplitSummary] = [:]
  private var files: [ShardFile] = []
  private var finished = false

  /// Creates the temp sibling of `directory` (and missing parents) and opens the first shard of each
  /// split; an existing `directory` is left alone until `finish`.
  /// - Throws: `ShardError.ioFailed`, `.notShardDirectory`, `CorpusError.cannotOpen`.
  public init(directory: String, header: ShardHeader, toolVersion: String = ToolkitVersion.string)
    throws
  {
    self.directory = directory
    self.header = header
    self.toolVersion = toolVersion
    try header.config.validate()
    staging = try DirectoryReplacement.prepare(directory)
    for split in Split.allCases {
      splits[split] = SplitSummary()
      try openShard(split)
    }
  }

  deinit {
    if !finished { discard() }
  }

  private func prefix(_ split: Split, _ number: Int) -> String {
    guard header.config.shardTokens > 0 else { return split.rawValue }
    let digits = String(number)
    return split.rawValue + "-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
  }

  private func openShard(_ split: Split) throws {
    let number = shardNumber[split, default: 0]
    let name = prefix(split, number)
    let tokens = try MegatronWriter(
      directory: staging, prefix: name, dtype: header.dtype,
      idLimit: UInt64(header.vocabularySize))
    let mask = try MegatronWriter(
      directory: staging, prefix: name + "_mask", dtype: .uint8, idLimit: 2)
    open[split] = (tokens, mask)
    shardNumber[split] = number + 1
  }

  private func closeShard(_ split: Split) throws {
    guard let (tokens, mask) = open[split] else { return }
    open[split] = nil
    files += try tokens.finish()
    files += try mask.finish()
    splits[split]!.parts.append(
      ShardPart(
        prefix: tokens.prefix, documents: tokens.documentCount, sequences: tokens.sequenceCount,
        tokens: tokens.tokenCount))
  }

  /// Writes a record's documents to its split, rolling to a new shard first when the current one
  /// already holds `shardTokens` tokens (records are never split across shards).
  public func write(_ record: EncodedRecord) throws {
    let split = record.split
    if header.config.shardTokens > 0, let current = open[split]?.tokens,
      current.tokenCount >= header.config.shardTokens
    {
      try closeShard(split)
      try openShard(split)
    }
    let (tokens, mask) = open[split]!
    var summary = splits[split]!
    for document in record.documents {
      for sequence in document {
        try tokens.append(sequence.tokens)
        try mask.append(bytes: sequence.mask)
        summary.sequences += 1
        summary.tokens += sequence.count
        summary.labelTokens += sequence.mask.reduce(0) { $0 + Int($1) }
      }
      try tokens.endDocument()
      try mask.endDocument()
      summary.documents += 1
    }
    summary.records += 1
    splits[split] = summary
  }

  /// Closes every shard, copies the tokenizer, writes manifest.json, then swaps the directory in.
  public func finish(summary: ShardSummary) throws {
    for split in Split.allCases { try closeShard(split) }
    let tokenizerPath = staging + "/" + ShardManifest.tokenizerFileName
    try AtomicFile.write(header.tokenizerFile, to: tokenizerPath)
    files.append(
      ShardFile(
        name: ShardManifest.tokenizerFileName, bytes: header.tokenizerFile.count,
        sha256: header.tokenizerSHA256))
    let manifest = ShardManifest(
      header: ShardHeaderFacts(header), splits: splits, summary: summary,
      toolVersion: toolVersion, files: files)
    try AtomicFile.write(manifest.encoded(), to: staging + "/" + ShardManifest.fileName)
    try DirectoryReplacement.commit(temp: staging, to: directory)
    finished = true
  }

  /// Removes the temp directory; a previous `directory` stays as it was.
  public func discard() {
    finished = true
    for (_, pair) in open {
      pair.tokens.discard()
      pair.mask.discard()
    }
    open = [:]
    DirectoryReplacement.abandon(temp: staging)
  }
}
