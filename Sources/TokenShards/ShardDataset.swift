// Reading a shard directory (the API rmtrain and rmppo use): open validates the manifest, every
// index (MegatronIndex.decode), that each mask pair has the same lengths and document indices as
// its token pair, file sizes, and the tokenizer copy's sha256; `documents(split:)` then serves
// token and mask sequences with every id checked against the vocabulary (K16).

import Corpus

/// A validated shard directory.
///
///     let data = try ShardDataset.open(directory: "shards")
///     data.manifest.targetKind            // .seq2seq
///     let docs = try data.documents(split: .train)   // [[TokenSequence]]
public final class ShardDataset: @unchecked Sendable {
  /// The directory path as given.
  public let directory: String
  /// The parsed manifest.
  public let manifest: ShardManifest

  /// The copied tokenizer.json inside the directory.
  public var tokenizerPath: String { directory + "/" + ShardManifest.tokenizerFileName }

  private init(directory: String, manifest: ShardManifest) {
    self.directory = directory
    self.manifest = manifest
  }

  /// A dataset object over a manifest that was parsed but not yet checked (the verifier's view).
  convenience init(unvalidatedDirectory directory: String, manifest: ShardManifest) {
    self.init(directory: directory, manifest: manifest)
  }

  /// Opens and validates a directory (structure, sizes, indices, tokenizer hash; `.bin` contents
  /// are hashed only by `ShardVerifier`).
  /// - Throws: `ShardError` naming the file and what is wrong.
  public static func open(directory: String) throws -> ShardDataset {
    let manifestPath = directory + "/" + ShardManifest.fileName
    try ShardFiles.requireDirectory(directory)
    guard ShardFiles.size(manifestPath) != nil else {
      throw ShardError.incomplete(directory: directory)
    }
    let manifest = try ShardManifest.decode(ShardFiles.read(manifestPath), path: manifestPath)
    let dataset = ShardDataset(directory: directory, manifest: manifest)
    let tokenizer = try ShardFiles.read(dataset.tokenizerPath)
    let digest = SHA256.hash(tokenizer).hex
    guard digest == manifest.tokenizerSHA256 else {
      throw ShardError.checksumMismatch(
        path: dataset.tokenizerPath, expected: manifest.tokenizerSHA256, found: digest)
    }
    for split in Split.allCases {
      for part in manifest.splits[split]?.parts ?? [] { _ = try dataset.loadPart(part) }
    }
    return dataset
  }

  /// Checks that the directory was made with the tokenizer whose file has this sha256.
  /// - Throws: `ShardError.tokenizerMismatch`.
  public func requireTokenizer(sha256: String) throws {
    guard sha256 == manifest.tokenizerSHA256 else {
      throw ShardError.tokenizerMismatch(
        expected: sha256, found: manifest.tokenizerSHA256,
        detail: "\(directory) was made with another tokenizer.json")
    }
  }

  /// Every document of a split, in stored order: seq2seq/sft/prompts one sequence per document,
  /// pairs `[chosen, rejected]`.
  /// - Throws: `ShardError` when a file changed since `open`.
  public func documents(split: Split) throws -> [[TokenSequence]] {
    var out: [[TokenSequence]] = []
    for part in manifest.splits[split]?.parts ?? [] {
      let loaded = try loadPart(part)
      let pointers = loaded.index.sequencePointers
      let ranges = zip(loaded.index.documentIndices, loaded.index.documentIndices.dropFirst())
      try loaded.tokens.withUnsafeBytes { tokenBytes in
        for (start, end) in ranges {
          var document: [TokenSequence] = []
          for s in Int(start)..<Int(end) {
            let count = Int(loaded.index.sequenceLengths[s])
            let ids = decodeTokens(
              tokenBytes, byteOffset: Int(pointers[s]), count: count, dtype: manifest.dtype)
            if let largest = ids.max(), Int(largest) >= manifest.vocabularySize {
              throw ShardError.tokenOutOfRange(
                path: directory + "/" + part.prefix + ".bin", id: largest,
                limit: UInt64(manifest.vocabularySize), detail: "sequence \(s)")
            }
            let offset = Int(pointers[s]) / manifest.dtype.itemSize
            document.append(
              TokenSequence(tokens: ids, mask: Array(loaded.mask[offset..<offset + count])))
          }
          out.append(document)
        }
      }
    }
    return out
  }

  /// One loaded part: its index, token bytes and mask bytes, cross-checked.
  struct LoadedPart {
    var index: MegatronIndex
    var tokens: [UInt8]
    var mask: [UInt8]
  }

  func loadPart(_ part: ShardPart) throws -> LoadedPart {
    let base = directory + "/" + part.prefix
    let maskBase = directory + "/" + part.maskPrefix
    let index = try MegatronIndex.decode(ShardFiles.read(base + ".idx"), path: base + ".idx")
    let maskIndex = try MegatronIndex.decode(
      ShardFiles.read(maskBase + ".idx"), path: maskBase + ".idx")
    guard index.dtype == manifest.dtype else {
      throw ShardError.badHeader(
        path: base + ".idx", expected: "dtype \(manifest.dtype.name) (manifest)",
        found: index.dtype.name)
    }
    guard maskIndex.dtype == .uint8 else {
      throw ShardError.badHeader(
        path: maskBase + ".idx", expected: "dtype uint8", found: maskIndex.dtype.name)
    }
    guard maskIndex.sequenceLengths == index.sequenceLengths,
      maskIndex.documentIndices == index.documentIndices
    else {
      throw ShardError.invariantViolated(
        path: maskBase + ".idx",
        detail: "lengths or document indices differ from \(part.prefix).idx")
    }
    guard index.documentCount == part.documents, index.sequenceLengths.count == part.sequences,
      index.tokenCount == part.tokens
    else {
      throw ShardError.invariantViolated(
        path: base + ".idx",
        detail:
          "holds \(index.documentCount) documents, \(index.sequenceLengths.count) sequences, "
          + "\(index.tokenCount) tokens; manifest says \(part.documents), \(part.sequences), \(part.tokens)"
      )
    }
    let tokens = try ShardFiles.read(base + ".bin")
    guard tokens.count == index.binSize else {
      throw ShardError.badHeader(
        path: base + ".bin", expected: "\(index.binSize) bytes (from \(part.prefix).idx)",
        found: "\(tokens.count) bytes")
    }
    let mask = try ShardFiles.read(maskBase + ".bin")
    guard mask.count == maskIndex.binSize else {
      throw ShardError.badHeader(
        path: maskBase + ".bin",
        expected: "\(maskIndex.binSize) bytes (from \(part.maskPrefix).idx)",
        found: "\(mask.count) bytes")
    }
    return LoadedPart(index: index, tokens: tokens, mask: mask)
  }
}
