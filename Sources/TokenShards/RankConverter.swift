// Converts one rank of a `ScalePlan` into a shard directory: each piece through the same ingest
// (`Corpus.RecordPipeline`) and target (`TargetPipeline`) code as `rmprep convert --targets`, in
// plan order, so the rank's documents are exactly the slice a single run would write for those
// bytes. Pieces that start after byte 0 of an `auto` input use the format the plan found in its
// first record. Each piece's bytes are hashed and checked against the plan.

import Corpus

/// What a converted rank reports beyond its shard directory.
public struct RankOutcome: Sendable, Equatable {
  /// Target accounting (`TargetPipeline.stats`).
  public var stats: TargetStats
  /// Token lengths before truncation.
  public var lengths: LengthReport
  /// Ingest accounting of the rank's pieces.
  public var upstream: Accounting
  /// Ids the de-duplication recorded (sorted), including any assumed ones.
  public var seenIDs: [UInt64]
  /// Every record's contribution, when the plan de-duplicates (for `merge`; not in the manifest).
  public var ledger: RecordLedger? = nil
}

/// Runs one rank.
public enum RankConverter {
  /// Converts rank `rank` of `plan` into `directory` (a shard directory with its manifest).
  ///
  /// - Parameters:
  ///   - assumedSeen: ids of earlier ranks, so their duplicates are dropped here (`merge`).
  ///   - shouldStop: polled per record (Ctrl-C); stopping throws `PipelineStopped`.
  /// - Throws: `ShardError.invariantViolated` when an input changed since planning, `CorpusError`
  ///   for unreadable inputs, `FormatOptionError`, `PipelineStopped`; nothing complete is left.
  public static func convert(
    plan: ScalePlan, rank: Int, tokenizer: any TargetTokenizer, directory: String,
    threads: Int = 2, assumedSeen: Set<UInt64> = [], shouldStop: @escaping () -> Bool = { false }
  ) throws -> RankOutcome {
    let targets = try TargetPipeline(tokenizer: tokenizer, config: plan.config, threads: threads)
    targets.assumeSeen(assumedSeen)
    if plan.config.deduplicate { targets.keepLedger() }
    let sink = try ShardDirectoryWriter(
      directory: directory, header: ShardHeader(config: plan.config, tokenizer: tokenizer),
      toolVersion: plan.toolVersion)
    var upstream = Accounting()
    var names: [String] = []
    do {
      for piece in plan.ranks[rank] {
        let input = plan.inputs[piece.input]
        names.append(input.path)
        var options = PipelineOptions()
        options.format =
          piece.start > 0 && plan.format == "auto" ? input.pinnedFormat ?? "auto" : plan.format
        options.formatOptions = FormatOptions(plan.formatOptions)
        let records = try RecordPipeline(options: options)
        records.shouldStop = shouldStop
        let source = try PieceSource(
          path: input.resolved, name: input.path, start: piece.start, end: piece.end)
        var batch: [PreferenceRecord] = []
        batch.reserveCapacity(2048)
        try records.run(try InputOpener.open(source)) { record in
          batch.append(record)
          if batch.count == 2048 {
            try targets.process(batch, into: sink)
            batch.removeAll(keepingCapacity: true)
          }
          return .written
        }
        try targets.process(batch, into: sink)
        upstream.add(records.accounting)
        let digest = try source.finishDigest()
        guard digest == piece.sha256 else {
          throw ShardError.invariantViolated(
            path: input.path,
            detail:
              "bytes \(piece.start)..<\(piece.end) changed since rmprep plan (sha256 \(digest),"
              + " the plan says \(piece.sha256)); run rmprep plan again")
        }
      }
    } catch {
      sink.discard()
      throw error
    }
    var summaryUpstream = upstream.statsJSON(inputs: names, format: plan.format, seconds: 0)
    if case .object(let members) = summaryUpstream {
      summaryUpstream = .object(members.filter { $0.key != "timing" })
    }
    try sink.finish(summary: targets.summary(upstream: summaryUpstream))
    return RankOutcome(
      stats: targets.stats, lengths: targets.lengths, upstream: upstream,
      seenIDs: targets.seenIDs.sorted(), ledger: targets.ledger)
  }
}
