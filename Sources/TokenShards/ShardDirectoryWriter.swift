// Writes a shard directory (DESIGN.md "Shard directory"): per split, Megatron token pairs
// `train.{bin,idx}` (or `train-00000…` when `shardTokens` rolls) and parallel uint8 mask pairs
// `train_mask.{bin,idx}` with identical lengths and document indices, a copy of tokenizer.json, and
// manifest.json written LAST. Any old manifest is removed before the first byte is written, so a run
// killed at any moment leaves a directory that does not verify as complete; the temp files such a run
// leaves are removed by the next one.

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// A `TargetSink` that writes a shard directory.
public final class ShardDirectoryWriter: TargetSink {
  public let directory: String
  public let header: ShardHeader
  private let toolVersion: String
  private var open: [Split: (tokens: MegatronWriter, mask: MegatronWriter)] = [:]
  private var shardNumber: [Split: Int] = [:]
  private var splits: [Split: SplitSummary] = [:]
  private var files: [ShardFile] = []
  private var finished = false

  /// Creates (if needed) `directory`, removes an old manifest and the temp files of killed runs, and
  /// opens the first shard of each split.
  /// - Throws: `ShardError.ioFailed`, `CorpusError.cannotOpen`.
  public init(directory: String, header: ShardHeader, toolVersion: String = ToolkitVersion.string)
    throws
  {
    self.directory = directory
    self.header = header
    self.toolVersion = toolVersion
    try header.config.validate()
    if mkdir(directory, 0o755) != 0 && errno != EEXIST {
      throw ShardError.ioFailed(path: directory, errno: errno)
    }
    let manifest = directory + "/" + ShardManifest.fileName
    if unlink(manifest) != 0 && errno != ENOENT {
      throw ShardError.ioFailed(path: manifest, errno: errno)
    }
    try StaleTemporaryFiles.remove(in: directory)
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
      directory: directory, prefix: name, dtype: header.dtype,
      idLimit: UInt64(header.vocabularySize))
    let mask = try MegatronWriter(
      directory: directory, prefix: name + "_mask", dtype: .uint8, idLimit: 2)
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

  /// Closes every shard, removes shard files this run did not write, copies the tokenizer, then
  /// writes manifest.json.
  public func finish(summary: ShardSummary) throws {
    for split in Split.allCases { try closeShard(split) }
    let written = Set(files.map(\.name))
    for name in try ShardFiles.list(directory)
    where ShardFileNames.isShardFile(name) && !written.contains(name) {
      let path = directory + "/" + name
      if unlink(path) != 0 && errno != ENOENT {
        throw ShardError.ioFailed(path: path, errno: errno)
      }
    }
    let tokenizerPath = directory + "/" + ShardManifest.tokenizerFileName
    try AtomicFile.write(header.tokenizerFile, to: tokenizerPath)
    files.append(
      ShardFile(
        name: ShardManifest.tokenizerFileName, bytes: header.tokenizerFile.count,
        sha256: header.tokenizerSHA256))
    let manifest = ShardManifest(
      header: ShardHeaderFacts(header), splits: splits, summary: summary,
      toolVersion: toolVersion, files: files)
    try AtomicFile.write(manifest.encoded(), to: directory + "/" + ShardManifest.fileName)
    finished = true
  }

  /// Removes the temp files of open shards; completed shards stay but no manifest is written.
  public func discard() {
    finished = true
    for (_, pair) in open {
      pair.tokens.discard()
      pair.mask.discard()
    }
    open = [:]
  }
}
