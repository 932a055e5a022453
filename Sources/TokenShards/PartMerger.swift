// `rmprep merge`: checks that all W parts are present, belong to the plan and verify (every part
// file against the sha256 its rank manifest records; the Megatron pairs while they are merged, so
// each is read once, and nothing is put in place before all of them have matched), then builds
// the shard directory a single `rmprep convert` of the same inputs writes: each split's Megatron
// pairs concatenated in rank order exactly as megatron-core's `add_index` does
// (`MegatronIndex.merge`), the tokenizer copy, and manifest.json (last) from the summed
// accounting and length histograms. De-duplication across ranks (a global step): from a rank
// holding an id an earlier rank already saw, the records with such ids are dropped here and counted
// as `duplicate` exactly as in one process, by replaying the rank's `records.ledger`
// (`RecordLedger`: its counters are recomputed and only its kept documents are copied into the
// merged files; no tokenization). The
// reference, `CrossRankDedup.reconvert`, converts the rank again with the earlier ids assumed seen.

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// What a merge did.
public struct MergeReport: Sendable, Equatable {
  public var stats: TargetStats
  public var upstream: Accounting
  /// Ranks that held duplicates of earlier ranks (their duplicates were dropped here).
  public var ranksWithEarlierDuplicates: [Int]
}

/// How `merge` drops the duplicates of earlier ranks from a rank.
public enum CrossRankDedup: Sendable {
  /// Replay the rank's `records.ledger` (falls back to `reconvert` for a part without one).
  case replay
  /// The reference: convert the rank's inputs again with the earlier ids assumed seen.
  case reconvert
}

/// Merges the parts of a plan.
public enum PartMerger {
  /// Merges `partsDirectory`'s parts into the shard directory `output`.
  /// - Throws: `ShardError` naming the missing, foreign or corrupt part; `RejectRateExceeded`-style
  ///   `ShardError.invalidConfiguration` when the run's reject rate exceeds the plan's limit (no
  ///   output is written then).
  public static func merge(
    plan: ScalePlan, planSHA256: String, partsDirectory: String, output: String,
    threads: Int = 2, loadTokenizer: () throws -> any TargetTokenizer,
    shouldStop: @escaping () -> Bool = { false }, dedup: CrossRankDedup = .replay
  ) throws -> MergeReport {
    var manifests: [RankManifest] = []
    var unfinished: [Int] = []
    // The Megatron pairs are checked against their sha256 while they are merged (read once); the
    // other part files here. A rank converted again (`reconvert`) gets its pairs checked below.
    let pairNames = Split.allCases.flatMap { split in
      [split.rawValue, split.rawValue + "_mask"].flatMap { [$0 + ".bin", $0 + ".idx"] }
    }
    let finished = (0..<plan.worldSize).map { rank in
      ShardFiles.size(partsDirectory + "/" + plan.partName(rank: rank) + ".manifest.json") != nil
    }
    // The finished ranks checked on `threads` threads; outcomes taken in rank order below, so the
    // error thrown is the first rank's, as when they are checked one by one.
    let verified = concurrentMap(0..<plan.worldSize, threads: threads) { rank in
      finished[rank]
        ? Result {
          try RankRunner.verify(
            plan: plan, planSHA256: planSHA256, rank: rank, partsDirectory: partsDirectory,
            deferring: Set(pairNames.map { plan.partName(rank: rank) + "/" + $0 }))
        } : nil
    }
    for rank in 0..<plan.worldSize {
      guard let outcome = verified[rank] else {
        unfinished.append(rank)
        continue
      }
      manifests.append(try outcome.get())
    }
    guard unfinished.isEmpty else {
      let list = unfinished.prefix(20).map(String.init).joined(separator: ", ")
      throw ShardError.invariantViolated(
        path: partsDirectory,
        detail: "\(unfinished.count) of \(plan.worldSize) ranks have not finished (\(list)"
          + (unfinished.count > 20 ? ", …" : "") + "); run rmprep shard for them, then merge again")
    }
    // Cross-rank de-duplication: ranks holding an id an earlier rank saw lose those records.
    var directories = (0..<plan.worldSize).map { partsDirectory + "/" + plan.partName(rank: $0) }
    var outcomes = manifests.map(\.outcome)
    var keepFlags: [Int: [Split: [Bool]]] = [:]
    var keptRecords: [Int: [Split: Int]] = [:]
    var withDuplicates: [Int] = []
    var scratch: [String] = []
    defer { for dir in scratch { RankRunner.removeTree(dir) } }
    if plan.config.deduplicate {
      // Per rank, its ids an earlier rank had. A rank's ledger rows all have ids among its own
      // ids (`seenIDs`), so dropping these (a small set, asked once per row) is dropping all
      // earlier ranks' ids. Known before any replay, so the ledgers are replayed at once.
      var seen = IDTable(capacity: outcomes.reduce(0) { $0 + $1.seenIDs.count })
      var earlier: [Set<UInt64>] = []
      for outcome in outcomes {
        earlier.append(seen.count == 0 ? [] : Set(outcome.seenIDs.filter { seen.contains($0) }))
        seen.formUnion(outcome.seenIDs)
      }
      let ledgerPaths = directories.map { $0 + "/" + RankRunner.ledgerFileName }
      let replays = RecordLedger.replayAll(
        earlier.indices.map { rank in
          earlier[rank].isEmpty || dedup != .replay || ShardFiles.size(ledgerPaths[rank]) == nil
            ? nil : (ledgerPaths[rank], earlier[rank])
        }, threads: threads)
      var tokenizer: (any TargetTokenizer)?
      for rank in 0..<plan.worldSize where !earlier[rank].isEmpty {
        if let result = replays[rank] {
          let ledgerPath = ledgerPaths[rank]
          let replay = try result.get()
          guard replay.logged.stats == outcomes[rank].stats,
            replay.logged.lengths == outcomes[rank].lengths
          else {
            throw ShardError.invariantViolated(
              path: ledgerPath,
              detail: "does not add up to its rank's manifest; run rmprep shard --rank \(rank) "
                + "again into a fresh directory")
          }
          for (split, flags) in replay.flags {
            keepFlags[rank, default: [:]][split] = flags.keep
            keptRecords[rank, default: [:]][split] = flags.records
          }
          (outcomes[rank].stats, outcomes[rank].lengths) = replay.kept
        } else {
          for name in pairNames {
            let file = plan.partName(rank: rank) + "/" + name
            if let sha = manifests[rank].outputs.first(where: { $0.name == file })?.sha256 {
              _ = try MegatronIndex.checkedRead(partsDirectory + "/" + file, sha256: sha)
            }
          }
          let dir = output + ".rank-\(rank).tmp.\(getpid())"
          scratch.append(dir)
          if tokenizer == nil { tokenizer = try loadTokenizer() }
          outcomes[rank] = try RankConverter.convert(
            plan: plan, rank: rank, tokenizer: tokenizer!, directory: dir, threads: threads,
            assumedSeen: earlier[rank], shouldStop: shouldStop)
          directories[rank] = dir
        }
        withDuplicates.append(rank)
      }
    }
    // Totals, checked before anything is written.
    var stats = TargetStats()
    var lengths = LengthReport()
    var upstream = Accounting()
    for outcome in outcomes {
      stats.merge(outcome.stats)
      lengths.merge(outcome.lengths)
      upstream.add(outcome.upstream)
    }
    guard upstream.isBalanced, stats.recordsIn == upstream.written,
      stats.recordsIn == stats.recordsConverted + stats.droppedTotal
    else {
      throw ShardError.invariantViolated(
        path: partsDirectory,
        detail: "internal accounting error: \(upstream.summary) (please report this)")
    }
    if upstream.rejectRate > plan.maxRejectRate {
      throw ShardError.invalidConfiguration(
        detail: "reject rate \(upstream.rejectedTotal)/\(upstream.read) exceeds the plan's "
          + "max_reject_rate \(plan.maxRejectRate); no output was written (see the rejects with "
          + "rmprep convert --rejects on the inputs)")
    }
    var parts: [ShardManifest] = []
    for dir in directories {
      let path = dir + "/" + ShardManifest.fileName
      let part = try ShardManifest.decode(ShardFiles.read(path), path: path)
      if let first = parts.first, part.header != first.header {
        throw ShardError.invariantViolated(
          path: path, detail: "its tokenizer, dtype or config differs from the first part's")
      }
      parts.append(part)
    }
    // Write: token and mask pairs per split, the tokenizer copy, then manifest.json.
    // Into a temp sibling that replaces `output` only when complete (DirectoryReplacement).
    let staging = try DirectoryReplacement.prepare(output)
    var committed = false
    defer { if !committed { DirectoryReplacement.abandon(temp: staging) } }
    let manifestPath = staging + "/" + ShardManifest.fileName
    var files: [ShardFile] = []
    var splits: [Split: SplitSummary] = [:]
    // Every split's token pair and mask pair: independent files, staged side by side.
    let pairs = Split.allCases.flatMap { split in
      [split.rawValue, split.rawValue + "_mask"].map { (split: split, name: $0) }
    }
    let inputs = try pairs.map { pair in
      try directories.indices.map { rank in
        let part = MegatronIndex.MergePart(
          prefix: directories[rank] + "/" + pair.name, keep: keepFlags[rank]?[pair.split])
        // A reconverted rank's pair is fresh (its part's pair was checked above).
        let file = plan.partName(rank: rank) + "/" + pair.name
        guard directories[rank] == partsDirectory + "/" + plan.partName(rank: rank) else {
          return part
        }
        return try expecting(
          manifests[rank], file: file, part: part,
          marker: partsDirectory + "/" + plan.partName(rank: rank) + ".manifest.json")
      }
    }
    let staged = try MegatronIndex.stage(
      pairs.indices.map { (parts: inputs[$0], output: staging + "/" + pairs[$0].name) },
      threads: threads)
    files += staged.flatMap(\.files)
    for (k, split) in Split.allCases.enumerated() {
      let (tokens, masks) = (staged[2 * k], staged[2 * k + 1])
      var summary = SplitSummary()
      for (rank, part) in parts.enumerated() {
        summary.records += keptRecords[rank]?[split] ?? part.splits[split]?.records ?? 0
      }
      summary.documents = tokens.index.documentCount
      summary.sequences = tokens.index.sequenceLengths.count
      summary.tokens = tokens.index.tokenCount
      summary.labelTokens = masks.nonZeroBytes
      summary.parts = [
        ShardPart(
          prefix: split.rawValue, documents: summary.documents, sequences: summary.sequences,
          tokens: summary.tokens)
      ]
      splits[split] = summary
    }
    // Every part has been checked: put the merged pairs in place.
    for merge in staged { try merge.commit() }
    let tokenizerFile = try ShardFiles.read(
      partsDirectory + "/" + plan.partName(rank: 0) + "/" + ShardManifest.tokenizerFileName)
    try AtomicFile.write(tokenizerFile, to: staging + "/" + ShardManifest.tokenizerFileName)
    files.append(
      ShardFile(
        name: ShardManifest.tokenizerFileName, bytes: tokenizerFile.count,
        sha256: SHA256.hash(tokenizerFile).hex))
    var upstreamJSON = upstream.statsJSON(
      inputs: plan.inputs.map(\.path), format: plan.format, seconds: 0)
    if case .object(let members) = upstreamJSON {
      upstreamJSON = .object(members.filter { $0.key != "timing" })
    }
    let manifest = ShardManifest(
      header: parts[0].header, splits: splits,
      summary: ShardSummary(
        accounting: stats.jsonValue, lengths: lengths.jsonValue, upstream: upstreamJSON),
      toolVersion: plan.toolVersion, files: files)
    try AtomicFile.write(manifest.encoded(), to: manifestPath)
    try DirectoryReplacement.commit(temp: staging, to: output)
    committed = true
    return MergeReport(stats: stats, upstream: upstream, ranksWithEarlierDuplicates: withDuplicates)
  }

  /// `part` with the sha256 its rank manifest records for `file.bin` and `file.idx`.
  /// - Throws: `ShardError.invariantViolated` when the manifest does not list them.
  static func expecting(
    _ manifest: RankManifest, file: String, part: MegatronIndex.MergePart, marker: String
  ) throws -> MegatronIndex.MergePart {
    func digest(_ name: String) throws -> String {
      guard let entry = manifest.outputs.first(where: { $0.name == name }) else {
        throw ShardError.invariantViolated(
          path: marker,
          detail: "does not list \(name); run rmprep shard --rank \(manifest.rank) again")
      }
      return entry.sha256
    }
    var part = part
    part.binSHA256 = try digest(file + ".bin")
    part.idxSHA256 = try digest(file + ".idx")
    return part
  }
}
