// Megatron's merge (`IndexedDatasetBuilder.add_index`, INTEROP.md §1.7): indices concatenate with
// the document boundaries offset by the sequences already present (the other index's leading 0 is
// dropped), and `.bin` files concatenate byte for byte; pointers are recomputed from lengths. Merging
// the parts of contiguous slices of one input therefore gives the same bytes as one run over it:
// the primitive behind `rmprep merge` (INTEROP.md §5.3).

import Corpus
import Dispatch

/// Appends indices the way megatron-core's `add_index` does.
extension MegatronIndex {
  /// `self` followed by `other` (same dtype): lengths appended, `other`'s document indices after
  /// its leading 0 shifted by `self`'s sequence count.
  /// - Throws: `ShardError.invariantViolated` when the dtypes differ.
  public func appending(_ other: MegatronIndex, path: String) throws -> MegatronIndex {
    var merged = self
    try merged.append(other, path: path)
    return merged
  }

  /// `appending(_:path:)` in place (no copy of what is already here).
  public mutating func append(_ other: MegatronIndex, path: String) throws {
    guard other.dtype == dtype else {
      throw ShardError.invariantViolated(
        path: path, detail: "dtype \(other.dtype.name) cannot be merged into \(dtype.name)")
    }
    let offset = Int64(sequenceLengths.count)
    sequenceLengths += other.sequenceLengths
    documentIndices += other.documentIndices.dropFirst().map { $0 + offset }
  }

  /// One input of `merge(parts:into:)`: a Megatron pair and, when `keep` is set, which of its
  /// documents to keep (one flag per document; `keeping`).
  public struct MergePart: Sendable {
    /// The pair's path without `.bin` / `.idx`.
    public var prefix: String
    /// One flag per document, or nil to keep them all.
    public var keep: [Bool]?
    /// The sha256 the pair's `.bin` / `.idx` must have (checked on the bytes the merge reads,
    /// so a part is read once), or nil to take them as they are.
    public var binSHA256: String?
    public var idxSHA256: String?

    /// Creates a part.
    public init(
      prefix: String, keep: [Bool]? = nil, binSHA256: String? = nil, idxSHA256: String? = nil
    ) {
      self.prefix = prefix
      self.keep = keep
      self.binSHA256 = binSHA256
      self.idxSHA256 = idxSHA256
    }
  }

  /// A merge written to temporary files, not yet in place: `commit()` renames both, `discard()`
  /// removes them (also done when it is released uncommitted).
  public struct StagedMerge {
    /// The two files as they will be once committed.
    public var files: [ShardFile]
    /// The merged index.
    public var index: MegatronIndex
    /// For a uint8 pair (masks) the number of non-zero bytes (label tokens), else 0.
    public var nonZeroBytes: Int
    let pending: [AtomicFile]

    /// Renames the files into place (`.bin` first, `.idx` last).
    public func commit() throws { for file in pending { try file.commit() } }

    /// Removes the temporary files.
    public func discard() { for file in pending { file.discard() } }
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
    let staged = try stage(parts: parts, into: output)
    do { try staged.commit() } catch {
      staged.discard()
      throw error
    }
    return (staged.files, staged.index, staged.nonZeroBytes)
  }

  /// `stage(parts:into:threads:)` for several independent merges, side by side when `threads` > 1
  /// (each then hashing on a helper thread of its own), results in the order given. When any
  /// fails, the first failure in that order is thrown and every staged output is discarded.
  public static func stage(
    _ merges: [(parts: [MergePart], output: String)], threads: Int = 1
  ) throws -> [StagedMerge] {
    let results = concurrentMap(merges.indices, threads: threads > 1 ? merges.count : 1) { k in
      Result { try stage(parts: merges[k].parts, into: merges[k].output, threads: threads) }
    }
    var done: [StagedMerge] = []
    var firstFailure: (any Error)?
    for outcome in results {
      switch outcome {
      case .success(let merge): done.append(merge)
      case .failure(let error): firstFailure = firstFailure ?? error
      }
    }
    if let firstFailure {
      for merge in done { merge.discard() }
      throw firstFailure
    }
    return done
  }

  /// `merge(parts:into:)` up to, not including, renaming the outputs into place, so that a caller
  /// merging several pairs can put all of them in place only once every part has been checked.
  /// A part's sha256 and the merged file's are computed together (SHA256.update(_ feeds:)), with
  /// `threads` > 1 on another thread while its bytes are written.
  /// - Throws: as `merge(parts:into:)`, and `ShardError.checksumMismatch` naming a part file whose
  ///   bytes do not have the sha256 given in its `MergePart` (nothing is left behind then).
  public static func stage(
    parts: [MergePart], into output: String, threads: Int = 1
  ) throws -> StagedMerge {
    guard !parts.isEmpty else {
      throw ShardError.invalidConfiguration(detail: "merge needs at least one part")
    }
    var merged: MegatronIndex?
    // The .bin is streamed part by part into its temporary file and hashed on the way; the kept
    // runs of a filtered part are written straight from the part's bytes.
    let binFile = try AtomicFile(path: output + ".bin")
    var binHash = SHA256()
    var binBytes = 0
    var nonZero = 0
    var buffer: [UInt8] = []
    do {
      for part in parts {
        let prefix = part.prefix
        let idxBytes = try ShardFiles.read(prefix + ".idx")
        var index: MegatronIndex
        do { index = try decode(idxBytes, path: prefix + ".idx") } catch {
          _ = try checked(idxBytes, path: prefix + ".idx", sha256: part.idxSHA256)
          throw error
        }
        let size = try ShardFiles.read(prefix + ".bin", into: &buffer)
        guard size == index.binSize else {
          _ = try checked(idxBytes, path: prefix + ".idx", sha256: part.idxSHA256)
          throw ShardError.badHeader(
            path: prefix + ".bin", expected: "\(index.binSize) bytes (from its .idx)",
            found: "\(size) bytes")
        }
        var runs = [0..<size]
        if let keep = part.keep {
          (index, runs) = try index.keptRuns(keep, binSize: size, path: prefix)
        }
        let countLabels = index.dtype == .uint8
        try buffer.withUnsafeBytes { raw in
          let bytes = UnsafeRawBufferPointer(rebasing: raw[0..<size])
          // Two streams over the part's bytes, on two threads when `threads` > 1, waited for
          // before the next part: the digests (the part's .bin and .idx, and the merged .bin's
          // running one over the kept runs, hashed two at a time) with the label count, and the
          // write (to the temporary file, which is discarded when a digest does not match).
          let digests = UnsafeMutablePointer<String>.allocate(capacity: 2)
          digests.initialize(repeating: "", count: 2)
          let labels = UnsafeMutablePointer<Int>.allocate(capacity: 1)
          labels.initialize(to: 0)
          let done = DispatchGroup()
          defer {
            done.wait()
            digests.deinitialize(count: 2)
            digests.deallocate()
            labels.deallocate()
          }
          try withUnsafeMutablePointer(to: &binHash) { mergedHash in
            defer { done.wait() }  // also when a write throws: the hasher lives only in here
            // Safe: the bytes, slots and hasher outlive the work (waited for above and below),
            // and each is written by one thread only.
            nonisolated(unsafe) let (input, slots, hasher, count) = (
              bytes, digests, mergedHash, labels
            )
            let kept = runs
            @Sendable func hashAndCount() {
              idxBytes.withUnsafeBytes { idx in
                // The part's .bin first and the merged .bin next pair up over the same bytes;
                // the .idx then pairs with what is left of the part's .bin.
                var feeds = [
                  SHA256Feed(
                    hasher: hasher.pointee,
                    segments: kept.map { UnsafeRawBufferPointer(rebasing: input[$0]) })
                ]
                if part.binSHA256 != nil { feeds.insert(SHA256Feed(segments: [input]), at: 0) }
                if part.idxSHA256 != nil { feeds.append(SHA256Feed(segments: [idx])) }
                SHA256.update(&feeds)
                let merged = part.binSHA256 != nil ? 1 : 0
                hasher.pointee = feeds[merged].hasher
                if part.binSHA256 != nil { slots[1] = feeds[0].hasher.finalize().hex }
                if part.idxSHA256 != nil { slots[0] = feeds[merged + 1].hasher.finalize().hex }
              }
              if countLabels {
                for run in kept {
                  count.pointee += countNonZero(UnsafeRawBufferPointer(rebasing: input[run]))
                }
              }
            }
            if threads > 1 {
              DispatchQueue.global().async(group: done, execute: hashAndCount)
            } else {
              hashAndCount()
            }
            for run in runs {
              let piece = UnsafeRawBufferPointer(rebasing: bytes[run])
              try binFile.write(piece)
              binBytes += piece.count
            }
          }
          if let expected = part.idxSHA256, digests[0] != expected {
            throw ShardError.checksumMismatch(
              path: prefix + ".idx", expected: expected, found: digests[0])
          }
          if let expected = part.binSHA256, digests[1] != expected {
            throw ShardError.checksumMismatch(
              path: prefix + ".bin", expected: expected, found: digests[1])
          }
          nonZero += labels.pointee
        }
        if merged == nil { merged = MegatronIndex(dtype: index.dtype) }
        try merged!.append(index, path: prefix + ".idx")
      }
    } catch {
      binFile.discard()
      throw error
    }
    let index = merged!
    let idx = index.encoded()
    let idxFile: AtomicFile
    do {
      idxFile = try AtomicFile(path: output + ".idx")
      try idxFile.write(idx)
    } catch {
      binFile.discard()
      throw error
    }
    let name = String(output.split(separator: "/").last ?? Substring(output))
    let files = [
      ShardFile(name: name + ".bin", bytes: binBytes, sha256: binHash.finalize().hex),
      ShardFile(name: name + ".idx", bytes: idx.count, sha256: SHA256.hash(idx).hex),
    ]
    return StagedMerge(
      files: files, index: index, nonZeroBytes: nonZero, pending: [binFile, idxFile])
  }

  /// The file's bytes, after checking their sha256 when one is given.
  static func checkedRead(_ path: String, sha256 expected: String?) throws -> [UInt8] {
    try checked(ShardFiles.read(path), path: path, sha256: expected)
  }

  /// `bytes` (read from `path`), after checking their sha256 when one is given.
  /// - Throws: `ShardError.checksumMismatch` naming `path`.
  static func checked(_ bytes: [UInt8], path: String, sha256 expected: String?) throws -> [UInt8] {
    if let expected {
      let found = SHA256.hash(bytes).hex
      guard found == expected else {
        throw ShardError.checksumMismatch(path: path, expected: expected, found: found)
      }
    }
    return bytes
  }

  /// The number of non-zero bytes, eight at a time.
  static func countNonZero(_ bytes: [UInt8]) -> Int {
    bytes.withUnsafeBytes { countNonZero($0) }
  }

  /// The number of non-zero bytes, eight at a time.
  static func countNonZero(_ raw: UnsafeRawBufferPointer) -> Int {
    var count = 0
    let words = raw.count / 8
    for w in 0..<words {
      var v = raw.loadUnaligned(fromByteOffset: w * 8, as: UInt64.self)
      // Each byte's high bit set iff the byte is non-zero.
      v = (v | ((v & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F)) & 0x8080_8080_8080_8080
      count += v.nonzeroBitCount
    }
    for i in (words * 8)..<raw.count where raw[i] != 0 { count += 1 }
    return count
  }

  /// The naive reference of `countNonZero`.
  static func countNonZeroNaive(_ bytes: [UInt8]) -> Int {
    bytes.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
  }
}
