// Records → encoded examples, in batches: (1) in input order, count, split and de-duplicate by id;
// (2) tokenize prompt and responses separately and build the targets, in parallel over `threads`
// workers writing disjoint slots; (3) in input order again, merge counters and hand records to the
// sink. Steps 1 and 3 are sequential, so outputs and counters are identical for any thread count.
// Dedup memory: one UInt64 per kept record in a Set (≈ 16–20 bytes each with the table's load
// factor, i.e. about 2 GB per 100 million records); `deduplicate: false` keeps nothing.

import BPE
import Corpus
import Dispatch

/// Converts preference records into encoded records for a `TargetSink`.
public final class TargetPipeline {
  public let tokenizer: any TargetTokenizer
  public let builder: TargetBuilder
  /// Worker threads for tokenization (≥ 1).
  public let threads: Int
  /// Counters so far.
  public private(set) var stats = TargetStats()
  /// Token lengths (before truncation) so far.
  public private(set) var lengths = LengthReport()
  private var seen = Set<UInt64>()
  /// When set (`keepLedger`), every record's contribution in input order (`rmprep shard`).
  public private(set) var ledger: RecordLedger?

  /// Starts keeping `ledger` (before the first `process`).
  public func keepLedger() { ledger = RecordLedger() }

  /// Creates a pipeline.
  /// - Throws: `ShardError.invalidConfiguration`.
  public init(tokenizer: any TargetTokenizer, config: TargetConfig, threads: Int = 1) throws {
    try config.validate()
    self.tokenizer = tokenizer
    self.builder = TargetBuilder(config: config, specials: tokenizer.specialIDs)
    self.threads = max(1, threads)
  }

  /// Makes records with these ids count as duplicates, continuing the de-duplication of earlier
  /// ranks of a scale-out run (`rmprep merge`).
  public func assumeSeen<S: Sequence>(_ ids: S) where S.Element == UInt64 { seen.formUnion(ids) }

  /// Every id the de-duplication holds so far (empty when `deduplicate` is off).
  public var seenIDs: Set<UInt64> { seen }

  private struct Job {
    var index: Int
    var id: UInt64
    var split: Split
  }

  private struct Result {
    var outcome: TargetOutcome
    var stats: TargetStats
    var lengths: LengthReport
  }

  /// Converts one batch and writes the kept records to `sink`, in input order.
  public func process(_ records: [PreferenceRecord], into sink: TargetSink) throws {
    // 1. Count, split and de-duplicate in input order.
    var jobs: [Job] = []
    jobs.reserveCapacity(records.count)
    var duplicates: [(index: Int, id: UInt64)] = []
    for (index, record) in records.enumerated() {
      stats.recordsIn += 1
      let id =
        UInt64(record.id.prefix(16), radix: 16) ?? UInt64(
          RecordID.make(prompt: record.prompt, chosen: record.chosen, rejected: record.rejected),
          radix: 16)!
      if builder.config.deduplicate, !seen.insert(id).inserted {
        stats.dropped[.duplicate, default: 0] += 1
        if ledger != nil { duplicates.append((index, id)) }
        continue
      }
      let split: Split =
        RecordID.isValidation(id: record.id, fraction: builder.config.validationFraction)
        ? .val : .train
      jobs.append(Job(index: index, id: id, split: split))
    }
    // 2. Tokenize and build in parallel; each worker writes only its own slots.
    let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: jobs.count)
    results.initialize(repeating: nil)
    defer {
      results.deinitialize()
      results.deallocate()
    }
    let workers = min(threads, max(1, jobs.count))
    // Safe: worker w touches only slots w, w + workers, …; the buffer outlives the call.
    nonisolated(unsafe) let slots = results
    let tokenizer = self.tokenizer
    let builder = self.builder
    let work = jobs
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for j in stride(from: worker, to: work.count, by: workers) {
        let record = records[work[j].index]
        slots[j] = Self.convert(record, id: work[j].id, tokenizer: tokenizer, builder: builder)
      }
    }
    // 3. Merge and write in input order.
    var nextDuplicate = 0
    for (j, job) in jobs.enumerated() {
      let result = results[j]!
      stats.merge(result.stats)
      lengths.merge(result.lengths)
      switch result.outcome {
      case .dropped(let reason):
        stats.dropped[reason, default: 0] += 1
      case .documents(let documents, let roles):
        stats.recordsConverted += 1
        stats.recordsBySplit[job.split, default: 0] += 1
        for role in roles { stats.examples[role, default: 0] += 1 }
        try sink.write(EncodedRecord(id: job.id, split: job.split, documents: documents))
      }
      if ledger != nil {
        while nextDuplicate < duplicates.count, duplicates[nextDuplicate].index < job.index {
          ledger!.rows.append(.init(id: duplicates[nextDuplicate].id, outcome: .duplicate))
          nextDuplicate += 1
        }
        ledger!.rows.append(Self.ledgerRow(job: job, result: result))
      }
    }
    if ledger != nil {
      for d in duplicates[nextDuplicate...] {
        ledger!.rows.append(.init(id: d.id, outcome: .duplicate))
      }
    }
  }

  private static func ledgerRow(job: Job, result: Result) -> RecordLedger.Row {
    let outcome: RecordLedger.Row.Outcome
    switch result.outcome {
    case .dropped(let reason): outcome = .dropped(reason)
    case .documents(_, let roles): outcome = .documents(split: job.split, roles: roles)
    }
    return RecordLedger.Row(
      id: job.id, outcome: outcome, promptLength: result.lengths.prompt.sortedCounts.first?.length,
      chosenLength: result.lengths.chosen.sortedCounts.first?.length,
      rejectedLength: result.lengths.rejected.sortedCounts.first?.length, stats: result.stats)
  }

  private static func convert(
    _ record: PreferenceRecord, id: UInt64, tokenizer: any TargetTokenizer, builder: TargetBuilder
  ) -> Result {
    var stats = TargetStats()
    var lengths = LengthReport()
    let kind = builder.config.kind
    let prompt = tokenizer.encodeOrdinary(record.prompt)
    let chosen = kind == .prompts ? [] : tokenizer.encodeOrdinary(record.chosen)
    let rejected = kind == .prompts || kind == .sft ? [] : tokenizer.encodeOrdinary(record.rejected)
    lengths.prompt.add(prompt.count)
    if kind != .prompts { lengths.chosen.add(chosen.count) }
    if kind == .seq2seq || kind == .pairs { lengths.rejected.add(rejected.count) }
    var fields = [record.prompt]
    if kind != .prompts { fields.append(record.chosen) }
    if kind == .seq2seq || kind == .pairs { fields.append(record.rejected) }
    stats.specialTextOccurrences = fields.reduce(0) { $0 + specialTextCount($1) }
    let outcome = builder.build(
      prompt: prompt, chosen: chosen, rejected: rejected,
      includeIdentity: includesIdentity(id: id, ratio: builder.config.identityRatio),
      stats: &stats)
    return Result(outcome: outcome, stats: stats, lengths: lengths)
  }

  /// The end-of-run summary for the sink.
  public func summary(upstream: JSONValue = .null) -> ShardSummary {
    ShardSummary(accounting: stats.jsonValue, lengths: lengths.jsonValue, upstream: upstream)
  }
}

/// The special-token strings (DESIGN.md "Special tokens"), as the BPE module defines them.
public let specialTokenStrings = SpecialTokenIDs.strings

/// Occurrences of special-token strings in `text` (they stay ordinary text; K12 counts them).
public func specialTextCount(_ text: String) -> Int {
  let bytes = Array(text.utf8)
  guard bytes.count >= 7 else { return 0 }
  let patterns = specialTokenStrings.map { Array($0.utf8) }
  var count = 0
  var i = 0
  while i + 1 < bytes.count {
    if bytes[i] == 0x3C, bytes[i + 1] == 0x7C {  // "<|"
      for p in patterns where i + p.count <= bytes.count && Array(bytes[i..<i + p.count]) == p {
        count += 1
        break
      }
    }
    i += 1
  }
  return count
}
