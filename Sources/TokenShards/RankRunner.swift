// `rmprep shard`: runs one rank of a plan into `DIR/part-RRRRR-of-WWWWW/` (a shard directory plus
// `ids.u64`, the sorted record ids its de-duplication saw, and `records.ledger`, what each record
// contributed, both for `merge`), then writes
// `DIR/part-RRRRR-of-WWWWW.manifest.json` LAST as the completion marker. The rank is converted in
// a private staging directory and renamed into place, so a killed rank leaves nothing that counts
// as done, and two copies of the same rank (retries, speculative execution) take turns on a lock
// file (`DIR/.part-RRRRR-of-WWWWW.lock`), so the second one finds the first one's manifest.
// A rank whose marker exists and verifies is not run again.

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// Runs and verifies ranks.
public enum RankRunner {
  /// The id list's file name inside a part directory.
  public static let idsFileName = "ids.u64"
  /// The record ledger's file name inside a part directory (plans that de-duplicate).
  public static let ledgerFileName = "records.ledger"

  /// Runs rank `rank` unless it is already done. Returns its manifest and whether it was done.
  /// - Throws: `ShardError` (foreign parts, I/O), whatever `RankConverter.convert` throws.
  public static func run(
    plan: ScalePlan, planSHA256: String, rank: Int, partsDirectory: String, threads: Int = 2,
    loadTokenizer: () throws -> any TargetTokenizer, shouldStop: @escaping () -> Bool = { false }
  ) throws -> (manifest: RankManifest, alreadyDone: Bool) {
    guard (0..<plan.worldSize).contains(rank) else {
      throw ShardError.invalidConfiguration(
        detail: "rank \(rank) is outside 0..<\(plan.worldSize) (the plan's world size)")
    }
    if mkdir(partsDirectory, 0o755) != 0 && errno != EEXIST {
      throw ShardError.ioFailed(path: partsDirectory, errno: errno)
    }
    let name = plan.partName(rank: rank)
    // Two copies of one rank (a retry racing a slow attempt, speculative execution) take turns:
    // the second waits here, then finds the first one's manifest and does no work. A file system
    // without flock (Lustre mounted without -o flock, some NFS set-ups) runs unlocked: the copies
    // then race, and as both write the same bytes the result is the same (one may fail and retry).
    let lockPath = partsDirectory + "/." + name + ".lock"
    let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard lock >= 0 else { throw ShardError.ioFailed(path: lockPath, errno: errno) }
    defer { close(lock) }
    while flock(lock, LOCK_EX) != 0 {
      if errno == EINTR { continue }
      guard [ENOLCK, ENOSYS, EOPNOTSUPP, EINVAL].contains(errno) else {
        throw ShardError.ioFailed(path: lockPath, errno: errno)
      }
      break
    }
    let markerPath = partsDirectory + "/" + name + ".manifest.json"
    if ShardFiles.size(markerPath) != nil {
      let existing = try ShardFiles.read(markerPath)
      if let found = try? RankManifest.decode(existing, path: markerPath),
        found.planSHA256 != planSHA256
      {
        throw ShardError.invariantViolated(
          path: markerPath,
          detail: "belongs to another plan (sha256 \(found.planSHA256)); use a fresh directory")
      }
      if let done = try? verify(
        plan: plan, planSHA256: planSHA256, rank: rank, partsDirectory: partsDirectory)
      {
        return (done, true)
      }
      unlink(markerPath)  // corrupt: convert again
    }
    let tokenizer = try loadTokenizer()
    let staging = partsDirectory + "/." + name + ".tmp." + String(getpid())
    removeTree(staging)
    let outcome: RankOutcome
    do {
      outcome = try RankConverter.convert(
        plan: plan, rank: rank, tokenizer: tokenizer, directory: staging, threads: threads,
        shouldStop: shouldStop)
      try AtomicFile.write(encodeIDs(outcome.seenIDs), to: staging + "/" + idsFileName)
      if let ledger = outcome.ledger {
        try AtomicFile.write(ledger.encoded(), to: staging + "/" + ledgerFileName)
      }
    } catch {
      removeTree(staging)
      throw error
    }
    let final = partsDirectory + "/" + name
    if rename(staging, final) != 0 {
      removeTree(final)  // an earlier, unfinished attempt
      if rename(staging, final) != 0 {
        let code = errno
        removeTree(staging)
        throw ShardError.ioFailed(path: final, errno: code)
      }
    }
    var outputs: [ShardFile] = []
    for file in try ShardFiles.list(final) {
      let bytes = try ShardFiles.read(final + "/" + file)
      outputs.append(
        ShardFile(name: name + "/" + file, bytes: bytes.count, sha256: SHA256.hash(bytes).hex))
    }
    let part = final + "/" + ShardManifest.fileName
    let written = try ShardManifest.decode(ShardFiles.read(part), path: part)
    let ranges = plan.ranks[rank].map {
      RankManifest.InputRange(
        path: plan.inputs[$0.input].path, start: $0.start, end: $0.end, sha256: $0.sha256)
    }
    let manifest = RankManifest(
      planSHA256: planSHA256, rank: rank, worldSize: plan.worldSize, inputRange: ranges,
      tokens: written.splits.values.reduce(0) { $0 + $1.tokens },
      dtypeCode: Int(MegatronDType.optimal(vocabularySize: tokenizer.vocabularySize).rawValue),
      outcome: outcome, outputs: outputs, toolVersion: plan.toolVersion)
    try AtomicFile.write(manifest.encoded(), to: markerPath)
    return (manifest, false)
  }

  /// The manifest of a finished rank after checking it belongs to this plan and that every output
  /// has its recorded size and sha256; `outcome.seenIDs` is read from the id list. Outputs named
  /// in `deferring` (relative to `partsDirectory`, as in the manifest) get only their size
  /// checked here: the caller reads them anyway and checks their sha256 then (`merge` does, so
  /// that every part file is read once).
  /// - Throws: `ShardError.incomplete` naming the rank when it has not finished,
  ///   `.invariantViolated` for a foreign part, `.checksumMismatch` / `.missingFile` naming the
  ///   corrupt or missing file.
  public static func verify(
    plan: ScalePlan, planSHA256: String, rank: Int, partsDirectory: String,
    deferring: Set<String> = []
  ) throws -> RankManifest {
    let name = plan.partName(rank: rank)
    let markerPath = partsDirectory + "/" + name + ".manifest.json"
    guard ShardFiles.size(markerPath) != nil else {
      throw ShardError.invariantViolated(
        path: markerPath,
        detail: "missing: rank \(rank) has not finished; run rmprep shard --rank \(rank)")
    }
    var manifest = try RankManifest.decode(ShardFiles.read(markerPath), path: markerPath)
    guard manifest.planSHA256 == planSHA256 else {
      throw ShardError.invariantViolated(
        path: markerPath,
        detail: "belongs to another plan (sha256 \(manifest.planSHA256), this plan is "
          + "\(planSHA256)); re-run rmprep shard --rank \(rank) into a fresh directory")
    }
    guard manifest.rank == rank, manifest.worldSize == plan.worldSize else {
      throw ShardError.invariantViolated(
        path: markerPath,
        detail:
          "is rank \(manifest.rank) of \(manifest.worldSize), not \(rank) of \(plan.worldSize)")
    }
    var ids: [UInt64] = []
    var checked: [(output: ShardFile, path: String, bytes: [UInt8])] = []
    for output in manifest.outputs {
      let path = partsDirectory + "/" + output.name
      if deferring.contains(output.name) {
        guard let size = ShardFiles.size(path) else { throw ShardError.missingFile(path: path) }
        guard size == output.bytes else {
          throw ShardError.checksumMismatch(
            path: path, expected: "\(output.bytes) bytes", found: "\(size) bytes")
        }
        continue
      }
      checked.append((output, path, try ShardFiles.read(path)))
    }
    // The files' sha256, two files at a time (SHA256.update(_ feeds:)).
    let digests = sha256(of: checked.map(\.bytes))
    for (file, digest) in zip(checked, digests) {
      guard file.bytes.count == file.output.bytes, digest == file.output.sha256 else {
        throw ShardError.checksumMismatch(
          path: file.path, expected: file.output.sha256, found: digest)
      }
      if file.output.name == name + "/" + idsFileName {
        ids = try decodeIDs(file.bytes, path: file.path)
      }
    }
    guard manifest.outputs.contains(where: { $0.name == name + "/" + ShardManifest.fileName }),
      manifest.outputs.contains(where: { $0.name == name + "/" + idsFileName })
    else {
      throw ShardError.invariantViolated(path: markerPath, detail: "does not list its part's files")
    }
    manifest.outcome.seenIDs = ids
    return manifest
  }

  /// The sha256 (hex) of each of `files`, hashed two at a time.
  static func sha256(of files: [[UInt8]]) -> [String] {
    var feeds: [SHA256Feed] = []
    func feed(_ k: Int) {
      guard k < files.count else {
        SHA256.update(&feeds)
        return
      }
      files[k].withUnsafeBytes { bytes in
        feeds.append(SHA256Feed(segments: [bytes]))
        feed(k + 1)
      }
    }
    feed(0)
    return feeds.map {
      var hasher = $0.hasher; return hasher.finalize().hex
    }
  }

  /// Sorted ids as little-endian UInt64s.
  static func encodeIDs(_ ids: [UInt64]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(ids.count * 8)
    for id in ids { withUnsafeBytes(of: id.littleEndian) { out.append(contentsOf: $0) } }
    return out
  }

  /// Reads `encodeIDs` back.
  static func decodeIDs(_ bytes: [UInt8], path: String) throws -> [UInt64] {
    guard bytes.count % 8 == 0 else {
      throw ShardError.badHeader(
        path: path, expected: "a multiple of 8 bytes", found: "\(bytes.count) bytes")
    }
    var ids: [UInt64] = []
    ids.reserveCapacity(bytes.count / 8)
    for i in stride(from: 0, to: bytes.count, by: 8) {
      var id: UInt64 = 0
      for k in 0..<8 { id |= UInt64(bytes[i + k]) << UInt64(8 * k) }
      ids.append(id)
    }
    return ids
  }

  /// Removes a directory of plain files (best effort).
  static func removeTree(_ path: String) { DirectoryReplacement.removeFlatTree(path) }
}
