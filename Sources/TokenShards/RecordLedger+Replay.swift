// Replaying a rank's ledger for `rmprep merge` in one pass: the totals it logged (checked against
// the rank's manifest), the totals with the records of ids an earlier rank saw counted as
// duplicates instead, and per split the document flags that drop those records' documents. The
// instance form works on decoded rows and is checked against `totals` and `documentFlags` (the
// references); `replay(encoded:)` reads the file bytes directly, without building a `Row` (and
// its roles array) per record, sums the counters and length counts in arrays and folds them into
// the stats and histograms once, and is checked against the instance form.

import Corpus
import Dispatch

extension RecordLedger {
  /// What `replay` returns.
  public typealias Replay = (
    logged: (stats: TargetStats, lengths: LengthReport),
    kept: (stats: TargetStats, lengths: LengthReport),
    flags: [Split: (keep: [Bool], records: Int)]
  )

  /// `totals()`, `totals(droppingSeen: seen)` and every split's
  /// `documentFlags(split:droppingSeen:)`, in one pass over the rows.
  public func replay(droppingSeen seen: Set<UInt64>) -> Replay {
    var sum = ReplaySum()
    for row in rows {
      let isSeen = seen.contains(row.id)
      switch row.outcome {
      case .duplicate: sum.addDuplicate(seen: isSeen)
      case .dropped(let reason):
        sum.add(
          seen: isSeen, stats: row.stats,
          lengths: (row.promptLength, row.chosenLength, row.rejectedLength))
        sum.addDrop(reason, seen: isSeen)
      case .documents(let split, let roles):
        sum.add(
          seen: isSeen, stats: row.stats,
          lengths: (row.promptLength, row.chosenLength, row.rejectedLength))
        sum.addDocuments(
          split: Split.allCases.firstIndex(of: split)!, count: roles.count, seen: isSeen)
        for role in roles { sum.addRole(role, seen: isSeen) }
      }
    }
    return sum.result()
  }

  /// `decode(bytes, path:).replay(droppingSeen:)` without decoding the rows.
  /// - Throws: as `decode`.
  public static func replay(
    encoded bytes: [UInt8], path: String, droppingSeen seen: Set<UInt64>
  ) throws -> Replay {
    var sum = ReplaySum()
    try scan(bytes, path: path) { id, v in
      let isSeen = seen.contains(id)
      if v[0] == 0 {
        sum.addDuplicate(seen: isSeen)
        return
      }
      sum.addEncoded(seen: isSeen, v)
      if v[0] == 1 {
        sum.addDrop(RecordLedger.dropReasons[v[2]], seen: isSeen)
        return
      }
      sum.addDocuments(split: v[1], count: v[2], seen: isSeen)
      for i in 0..<v[2] { sum.addRole(code: ((v[3] >> (3 * i)) & 7) - 1, seen: isSeen) }
    }
    return sum.result()
  }
}

extension RecordLedger {
  /// For each job (a ledger file and the ids to drop, or nil for none) `replay(encoded:path:
  /// droppingSeen:)` of the file's bytes, or the error reading or replaying it; the jobs run on
  /// `threads` threads (`rmprep merge` replays its ranks' ledgers at once: each needs only the
  /// ids an earlier rank had, known before any replay). With 1 thread, one after another: the
  /// reference.
  public static func replayAll(
    _ jobs: [(path: String, seen: Set<UInt64>)?], threads: Int
  ) -> [Result<Replay, Error>?] {
    @Sendable func run(_ job: (path: String, seen: Set<UInt64>)) -> Result<Replay, Error> {
      Result {
        try replay(encoded: ShardFiles.read(job.path), path: job.path, droppingSeen: job.seen)
      }
    }
    let todo = jobs.indices.filter { jobs[$0] != nil }
    var results = [Result<Replay, Error>?](repeating: nil, count: jobs.count)
    guard threads > 1, todo.count > 1 else {
      for i in todo { results[i] = run(jobs[i]!) }
      return results
    }
    results.withUnsafeMutableBufferPointer { slots in
      // Safe: each iteration writes its own slot, all are done when concurrentPerform returns.
      nonisolated(unsafe) let slots = slots
      let workers = min(threads, todo.count)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for k in stride(from: worker, to: todo.count, by: workers) {
          slots[todo[k]] = run(jobs[todo[k]]!)
        }
      }
    }
    return results
  }
}

/// The running sums of a replay. Counts kept in arrays and added to the dictionaries once.
struct ReplaySum {
  var logged = (stats: TargetStats(), lengths: LengthReport())
  var kept = (stats: TargetStats(), lengths: LengthReport())
  var keep = [[Bool]](repeating: [], count: Split.allCases.count)
  var records = [Int](repeating: 0, count: Split.allCases.count)
  var bySplit = [Int](repeating: 0, count: Split.allCases.count)
  var rows = 0
  var duplicates = (logged: 0, kept: 0)
  /// Per role code: the logged count in the high 32 bits, the kept count in the low ones.
  var examples = [Int](repeating: 0, count: RecordLedger.roleNames.count)
  var otherExamples: [String: Int] = [:]
  /// `addEncoded`'s sums of the row fields 7…14 (truncation and special-text counters).
  var counterSums = (
    logged: [Int](repeating: 0, count: RecordLedger.fields),
    kept: [Int](repeating: 0, count: RecordLedger.fields)
  )
  /// `addEncoded`'s length counts, indexed by length: per role (prompt, chosen, rejected) logged
  /// then kept.
  var lengthCounts = [[Int]](repeating: [], count: 6)

  mutating func addDuplicate(seen: Bool) {
    rows += 1
    duplicates.logged += 1
    duplicates.kept += 1
  }

  /// A record that was not a duplicate in its own rank: its counters and lengths.
  mutating func add(seen: Bool, stats: TargetStats, lengths: (Int?, Int?, Int?)) {
    rows += 1
    if seen { duplicates.kept += 1 }
    logged.stats.merge(stats)
    if !seen { kept.stats.merge(stats) }
    if let n = lengths.0 {
      logged.lengths.prompt.add(n)
      if !seen { kept.lengths.prompt.add(n) }
    }
    if let n = lengths.1 {
      logged.lengths.chosen.add(n)
      if !seen { kept.lengths.chosen.add(n) }
    }
    if let n = lengths.2 {
      logged.lengths.rejected.add(n)
      if !seen { kept.lengths.rejected.add(n) }
    }
  }

  /// `add(seen:stats:lengths:)` for an encoded row `v`: its counters (fields 7…14) and lengths
  /// (fields 4…6, 0 for none, else length + 1) summed in arrays, folded in by `result()`.
  mutating func addEncoded(seen: Bool, _ v: UnsafeBufferPointer<Int>) {
    rows += 1
    if seen { duplicates.kept += 1 }
    for field in 7..<RecordLedger.fields {
      counterSums.logged[field] += v[field]
      if !seen { counterSums.kept[field] += v[field] }
    }
    for role in 0..<3 where v[4 + role] > 0 {
      let length = v[4 + role] - 1
      guard length < Self.denseLengths else {
        logged.lengths.add(length, role: role)
        if !seen { kept.lengths.add(length, role: role) }
        continue
      }
      for k in [2 * role, seen ? -1 : 2 * role + 1] where k >= 0 {
        if lengthCounts[k].count <= length {
          lengthCounts[k] += repeatElement(0, count: length + 1 - lengthCounts[k].count)
        }
        lengthCounts[k][length] += 1
      }
    }
  }

  /// Lengths below this are counted in `lengthCounts`, longer ones go to the histograms at once.
  static let denseLengths = 1 << 16

  mutating func addDrop(_ reason: TargetDropReason, seen: Bool) {
    logged.stats.dropped[reason, default: 0] += 1
    if !seen { kept.stats.dropped[reason, default: 0] += 1 }
  }

  mutating func addDocuments(split: Int, count: Int, seen: Bool) {
    keep[split] += repeatElement(!seen, count: count)
    bySplit[split] += 1
    if !seen { records[split] += 1 }
  }

  mutating func addRole(code: Int, seen: Bool) {
    examples[code] += seen ? 0x1_0000_0000 : 0x1_0000_0001
  }

  mutating func addRole(_ role: String, seen: Bool) {
    if let code = RecordLedger.roleNames.firstIndex(of: role) {
      addRole(code: code, seen: seen)
    } else {
      otherExamples[role, default: 0] += seen ? 0x1_0000_0000 : 0x1_0000_0001
    }
  }

  func result() -> RecordLedger.Replay {
    var (logged, kept) = (self.logged, self.kept)
    logged.stats.merge(counterSums.logged.withUnsafeBufferPointer { RecordLedger.counters($0) })
    kept.stats.merge(counterSums.kept.withUnsafeBufferPointer { RecordLedger.counters($0) })
    for (k, counts) in lengthCounts.enumerated() {
      for (length, times) in counts.enumerated() where times > 0 {
        if k % 2 == 0 {
          logged.lengths.add(length, times: times, role: k / 2)
        } else {
          kept.lengths.add(length, times: times, role: k / 2)
        }
      }
    }
    func add(_ role: String, _ packed: Int) {
      guard packed != 0 else { return }
      logged.stats.examples[role, default: 0] += packed >> 32
      if packed & 0xFFFF_FFFF != 0 { kept.stats.examples[role, default: 0] += packed & 0xFFFF_FFFF }
    }
    for (code, packed) in examples.enumerated() { add(RecordLedger.roleNames[code], packed) }
    for (role, packed) in otherExamples { add(role, packed) }
    var flags: [Split: (keep: [Bool], records: Int)] = [:]
    for (s, split) in Split.allCases.enumerated() {
      flags[split] = (keep[s], records[s])
      if bySplit[s] > 0 {
        logged.stats.recordsBySplit[split, default: 0] += bySplit[s]
        logged.stats.recordsConverted += bySplit[s]
      }
      if records[s] > 0 {
        kept.stats.recordsBySplit[split, default: 0] += records[s]
        kept.stats.recordsConverted += records[s]
      }
    }
    logged.stats.recordsIn += rows
    kept.stats.recordsIn += rows
    if duplicates.logged > 0 { logged.stats.dropped[.duplicate, default: 0] += duplicates.logged }
    if duplicates.kept > 0 { kept.stats.dropped[.duplicate, default: 0] += duplicates.kept }
    return (logged, kept, flags)
  }
}

extension LengthReport {
  /// Adds `times` copies of `length` to the prompt (role 0), chosen (1) or rejected (2) lengths.
  fileprivate mutating func add(_ length: Int, times: Int = 1, role: Int) {
    switch role {
    case 0: prompt.add(length, times: times)
    case 1: chosen.add(length, times: times)
    default: rejected.add(length, times: times)
    }
  }
}
