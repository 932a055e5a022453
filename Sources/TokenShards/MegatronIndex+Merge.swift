// Megatron's merge (`IndexedDatasetBuilder.add_index`, INTEROP.md §1.7): indices concatenate with
// the document boundaries offset by the sequences already present (the other index's leading 0 is
// dropped), and `.bin` files concatenate byte for byte; pointers are recomputed from lengths. Merging
// the parts of contiguous slices of one input therefore gives the same bytes as one run over it:
// the primitive behind `rmprep merge` (INTEROP.md §5.3).

import Corpus

/// Appends indices the way megatron-core's `add_index` does.
extension MegatronIndex {
  /// `self` followed by `other` (same dtype): lengths appended, `other`'s document indices after
  /// its leading 0 shifted by `self`'s sequence count.
  /// - Throws: `ShardError.invariantViolated` when the dtypes differ.
  public func appending(_ other: MegatronIndex, path: String) throws -> MegatronIndex {
    guard other.dtype == dtype else {
      throw ShardError.invariantViolated(
        path: path, detail: "dtype \(other.dtype.name) cannot be merged into \(dtype.name)")
    }
    var merged = self
    let offset = Int64(sequenceLengths.count)
    merged.sequenceLengths += other.sequenceLengths
    merged.documentIndices += other.documentIndices.dropFirst().map { $0 + offset }
    return merged
  }

  /// One input of `merge(parts:into:)`: a Megatron pair and, when `keep` is set, which of its
  /// documents to keep (one flag per document; `keeping`).
  public struct MergePart: Sendable {
    /// The pair's path without `.bin` / `.idx`.
    public var prefix: String
    /// One flag per document, or nil to keep them all.
    public var keep: [Bool]?

    /// Creates a part.
    public init(prefix: String, keep: [Bool]? = nil) {
      self.prefix = prefix
      self.keep = keep
    }
  }

  /// Merges the Megatron pairs `prefixes[i].{bin,idx}` in order into `output.{bin,idx}` (atomic),
  /// returning the two files written.
  /// - Throws: `ShardError` for a missing or invalid part, a dtype mismatch or a `.bin` whose size
  ///   differs from its index.
  public static func merge(prefixes: [String], into output: String) throws -> [ShardFile] {
    try merge(parts: prefixes.map { MergePart(prefix: $0) }, into: output).files
  }

  /// Merges `parts` in order (each filtered by its `keep` flags first) into `output.{bin,idx}`
  /// (atomic). Returns the two files written, the merged index and, for a uint8 pair (masks), the
  /// number of non-zero bytes (label tokens; 0 for other dtypes).
  /// - Throws: as `merge(prefixes:into:)`, and when `keep` does not fit a part.
  public static func merge(parts: [MergePart], into output: String) throws -> (
    files: [ShardFile], index: MegatronIndex, nonZeroBytes: Int
  ) {
    guard let first = parts.first?.prefix else {
      throw ShardError.invalidConfiguration(detail: "merge needs at least one part")
    }
    var merged = try decode(ShardFiles.read(first + ".idx"), path: first + ".idx")
    merged.sequenceLengths = []
    merged.documentIndices = [0]
    // The .bin is streamed part by part into its temporary file and hashed on the way.
    let binFile = try AtomicFile(path: output + ".bin")
    var binHash = SHA256()
    var binBytes = 0
    var nonZero = 0
    do {
      for part in parts {
        let prefix = part.prefix
        var index = try decode(ShardFiles.read(prefix + ".idx"), path: prefix + ".idx")
        var bytes = try ShardFiles.read(prefix + ".bin")
        guard bytes.count == index.binSize else {
          throw ShardError.badHeader(
            path: prefix + ".bin", expected: "\(index.binSize) bytes (from its .idx)",
            found: "\(bytes.count) bytes")
        }
        if let keep = part.keep {
          (index, bytes) = try index.keeping(keep, bin: bytes, path: prefix)
        }
        merged = try merged.appending(index, path: prefix + ".idx")
        try binFile.write(bytes)
        bytes.withUnsafeBytes { binHash.update($0) }
        binBytes += bytes.count
        if merged.dtype == .uint8 { nonZero += bytes.reduce(0) { $0 + ($1 == 0 ? 0 : 1) } }
      }
      try binFile.commit()
    } catch {
      binFile.discard()
      throw error
    }
    let idx = merged.encoded()
    let name = String(output.split(separator: "/").last ?? Substring(output))
    try AtomicFile.write(idx, to: output + ".idx")
    let files = [
      ShardFile(name: name + ".bin", bytes: binBytes, sha256: binHash.finalize().hex),
      ShardFile(name: name + ".idx", bytes: idx.count, sha256: SHA256.hash(idx).hex),
    ]
    return (files, merged, nonZero)
  }
}
