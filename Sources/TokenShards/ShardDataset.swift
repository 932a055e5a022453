// Reading a shard directory (the API rmtrain and rmppo use): open validates the manifest, every
// index (MegatronIndex.decode), that each mask pair has the same lengths and document indices as
// its token pair, file sizes, and the tokenizer copy's sha256; `documents(split:)` and
// `forEachDocument(split:)` then serve token and mask sequences, streamed from the `.bin` files
// (ShardPartReader), with every id checked against the vocabulary (K16).

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
      for part in manifest.splits[split]?.parts ?? [] { _ = try dataset.loadIndex(part) }
    }
    return dataset
  }

  /// Opens a directory as `open(directory:)` does, then checks the bytes of every file the runs read
  /// (the tokenizer copy and each split's token and mask pairs) against the size and sha256 in the
  /// manifest, as `rmprep verify` does: rmtrain and rmppo call this before any training.
  /// - Throws: what `open` throws; `ShardError.checksumMismatch` or `.missingFile` naming the file.
  public static func openVerified(directory: String) throws -> ShardDataset {
    let dataset = try open(directory: directory)
    try dataset.verifyChecksums()
    return dataset
  }

  /// Hashes the tokenizer copy and every part's four files and compares them with the manifest.
  /// - Throws: the first `ShardError.checksumMismatch`, `.missingFile` or `.invariantViolated`.
  public func verifyChecksums() throws {
    var names = [ShardManifest.tokenizerFileName]
    for split in Split.allCases {
      for part in manifest.splits[split]?.parts ?? [] {
        for base in [part.prefix, part.maskPrefix] { names += [base + ".bin", base + ".idx"] }
      }
    }
    let listed = Dictionary(manifest.files.map { ($0.name, $0) }) { first, _ in first }
    for name in names {
      guard let file = listed[name] else {
        throw ShardError.invariantViolated(
          path: directory + "/" + ShardManifest.fileName,
          detail: "does not list \(name), so its checksum cannot be checked")
      }
      if let problem = ShardVerifier.checksumProblem(file, directory: directory) { throw problem }
    }
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
    try forEachDocument(split: split) { document in
      out.append(document)
      return true
    }
    return out
  }

  /// Calls `body` with each document of a split in stored order, streaming the `.bin` files (memory
  /// holds one part's index and one document); `body` returns false to stop early (`rmprep inspect`
  /// shows a few documents of a large directory this way).
  /// - Throws: `ShardError` when a file changed since `open`, or what `body` throws.
  public func forEachDocument(split: Split, _ body: ([TokenSequence]) throws -> Bool) throws {
    for part in manifest.splits[split]?.parts ?? [] {
      let reader = try partReader(part)
      let boundaries = reader.index.documentIndices
      for k in 0..<reader.index.documentCount {
        var document: [TokenSequence] = []
        for _ in boundaries[k]..<boundaries[k + 1] { document.append(try reader.nextSequence()) }
        if try !body(document) { return }
      }
    }
  }

  /// A part's index, validated against its mask index, the manifest and the `.bin` sizes (the
  /// `.bin` contents are not read).
  /// - Throws: `ShardError.missingFile`, `.badHeader`, `.invariantViolated`.
  func loadIndex(_ part: ShardPart) throws -> MegatronIndex {
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
    for (path, expected, idx) in [
      (base + ".bin", index.binSize, part.prefix),
      (maskBase + ".bin", maskIndex.binSize, part.maskPrefix),
    ] {
      guard let size = ShardFiles.size(path) else { throw ShardError.missingFile(path: path) }
      guard size == expected else {
        throw ShardError.badHeader(
          path: path, expected: "\(expected) bytes (from \(idx).idx)", found: "\(size) bytes")
      }
    }
    return index
  }

  /// A reader of a part's sequences in stored order, one at a time; `checksMask` makes a mask byte
  /// other than 0/1 an error (the verifier reports it per sequence instead).
  func partReader(_ part: ShardPart, checksMask: Bool = true) throws -> ShardPartReader {
    try ShardPartReader(
      index: loadIndex(part), binPath: directory + "/" + part.prefix + ".bin",
      maskPath: directory + "/" + part.maskPrefix + ".bin",
      vocabularySize: manifest.vocabularySize, checksMask: checksMask)
  }
}
