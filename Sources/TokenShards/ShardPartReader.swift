// One shard part read sequence by sequence: token ids decoded from the `.bin` and mask bytes from the
// mask `.bin`, both streamed, every id checked against the vocabulary. Memory holds the index and one
// sequence, never the part (ShardDataset.forEachDocument, ShardVerifier).

/// Sequential reader of a validated part.
final class ShardPartReader {
  /// The part's validated index.
  let index: MegatronIndex
  let binPath: String
  let maskPath: String
  private let tokens: SequentialFileReader
  private let mask: SequentialFileReader
  private let vocabularySize: Int
  private let checksMask: Bool
  /// Index of the next sequence.
  private(set) var position = 0
  /// Byte offset of the next sequence's mask in the mask `.bin`.
  private var maskOffset = 0

  /// Opens both `.bin` files of a part whose index was validated (sizes included); `checksMask`
  /// makes a mask byte other than 0/1 an error.
  /// - Throws: `ShardError.missingFile`, `.ioFailed`.
  init(
    index: MegatronIndex, binPath: String, maskPath: String, vocabularySize: Int,
    checksMask: Bool = true
  ) throws {
    self.index = index
    self.binPath = binPath
    self.maskPath = maskPath
    self.vocabularySize = vocabularySize
    self.checksMask = checksMask
    tokens = try SequentialFileReader(path: binPath)
    mask = try SequentialFileReader(path: maskPath)
  }

  /// The next sequence in stored order.
  /// - Throws: `ShardError.tokenOutOfRange` for an id ≥ the vocabulary; `.invariantViolated` for a
  ///   mask byte other than 0/1 (when checked); `.badHeader` when a file
  ///   ended early (it changed since it was validated); `.ioFailed`.
  func nextSequence() throws -> TokenSequence {
    let s = position
    let count = Int(index.sequenceLengths[s])
    let bytes = try tokens.read(count * index.dtype.itemSize)
    let ids = bytes.withUnsafeBytes {
      decodeTokens($0, byteOffset: 0, count: count, dtype: index.dtype)
    }
    if let largest = ids.max(), Int(largest) >= vocabularySize {
      throw ShardError.tokenOutOfRange(
        path: binPath, id: largest, limit: UInt64(vocabularySize), detail: "sequence \(s)")
    }
    let labels = try mask.read(count)
    if checksMask, let bad = labels.firstIndex(where: { $0 > 1 }) {
      throw ShardError.invariantViolated(
        path: maskPath,
        detail:
          "byte \(maskOffset + bad) (sequence \(s)) is \(labels[bad]); mask bytes must be 0 or 1")
    }
    position += 1
    maskOffset += count
    return TokenSequence(tokens: ids, mask: labels)
  }
}
