// One-pass ledger replays (`RecordLedger.replay(droppingSeen:)` on rows and
// `RecordLedger.replay(encoded:path:droppingSeen:)` on the file bytes) against the references
// `totals` and `documentFlags`; a bad ledger is refused by the byte replay as by `decode`.

import Corpus
import Testing

@testable import TokenShards

@Suite struct RecordLedgerReplayTests {
  @Test func replaysEqualTheReferences() {
    let ledger = RecordLedgerTests().example()
    for seen: Set<UInt64> in [[], [.max, 5], Set(ledger.rows.map(\.id))] {
      expectReplayMatches(ledger, seen: seen)
    }
  }

  @Test func replaysOfManyRowsEqualTheReferences() {
    // Repeated lengths (summed in the byte replay's arrays), lengths past its dense range, every
    // outcome, counters on kept and seen rows.
    var state: UInt64 = 3
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % bound
    }
    var rows: [RecordLedger.Row] = []
    for id in 0..<200 {
      var stats = TargetStats()
      stats.promptsCut = next(2)
      stats.targetTokensCut = next(50)
      stats.specialTextOccurrences = next(3)
      let outcome: RecordLedger.Row.Outcome =
        switch next(4) {
        case 0: .duplicate
        case 1: .dropped(.targetLostEOS)
        default: .documents(split: next(5) == 0 ? .val : .train, roles: ["correction"])
        }
      let long = id % 37 == 0 ? 70_000 + id : nil
      rows.append(
        .init(
          id: UInt64(id), outcome: outcome, promptLength: long ?? next(40),
          chosenLength: next(3) == 0 ? nil : next(30), rejectedLength: next(25),
          stats: outcome == .duplicate ? TargetStats() : stats))
    }
    let ledger = RecordLedger(rows: rows)
    for seen: Set<UInt64> in [[], Set((0..<200).filter { $0 % 3 == 0 }.map(UInt64.init))] {
      expectReplayMatches(ledger, seen: seen)
    }
  }

  @Test func replayAllOnTwoThreadsEqualsOneAfterAnother() throws {
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    let ledger = RecordLedgerTests().example()
    let ids = ledger.rows.map(\.id)
    var bad = ledger.encoded()
    bad.removeLast()
    try AtomicFile.write(ledger.encoded(), to: dir + "/good")
    try AtomicFile.write(bad, to: dir + "/bad")
    let jobs: [(path: String, seen: Set<UInt64>)?] = [
      nil, (dir + "/good", []), (dir + "/good", Set(ids.prefix(1))), (dir + "/bad", []), nil,
      (dir + "/missing", []), (dir + "/good", Set(ids)),
    ]
    let reference = RecordLedger.replayAll(jobs, threads: 1)
    for threads in [2, 3] {
      let results = RecordLedger.replayAll(jobs, threads: threads)
      #expect(results.count == jobs.count)
      for (i, (result, expected)) in zip(results, reference).enumerated() {
        #expect((result == nil) == (jobs[i] == nil), "job \(i)")
        switch (result, expected) {
        case (.success(let a)?, .success(let b)?):
          #expect(a.logged.stats == b.logged.stats && a.kept.stats == b.kept.stats, "job \(i)")
          #expect(a.kept.lengths == b.kept.lengths, "job \(i)")
          for split in Split.allCases {
            #expect(a.flags[split]?.keep == b.flags[split]?.keep, "job \(i)")
          }
        case (.failure(let a)?, .failure(let b)?):
          #expect("\(a)" == "\(b)", "job \(i)")
        case (nil, nil): break
        default: Issue.record("job \(i): \(String(describing: result)) vs the reference")
        }
      }
    }
    // The reference is the single replay of each file.
    if case .success(let one)? = reference[2] {
      let direct = try RecordLedger.replay(
        encoded: ledger.encoded(), path: "l", droppingSeen: Set(ids.prefix(1)))
      #expect(one.kept.stats == direct.kept.stats && one.logged.stats == direct.logged.stats)
    } else {
      Issue.record("job 2 failed")
    }
    #expect(throws: ShardError.self) { try reference[3]?.get() }
    #expect(throws: ShardError.self) { try reference[5]?.get() }
  }

  @Test func byteReplayRefusesBadRows() {
    var bytes = RecordLedgerTests().example().encoded()
    bytes.removeLast()
    #expect(throws: ShardError.self) {
      try RecordLedger.replay(encoded: bytes, path: "l", droppingSeen: [])
    }
  }
}

/// Expects both replays of `ledger` to equal `totals` and `documentFlags`.
func expectReplayMatches(_ ledger: RecordLedger, seen: Set<UInt64>) {
  let replay = ledger.replay(droppingSeen: seen)
  let direct = try? RecordLedger.replay(encoded: ledger.encoded(), path: "l", droppingSeen: seen)
  #expect(direct?.logged.stats == replay.logged.stats)
  #expect(direct?.logged.lengths == replay.logged.lengths)
  #expect(direct?.kept.stats == replay.kept.stats)
  #expect(direct?.kept.lengths == replay.kept.lengths)
  for split in Split.allCases {
    #expect(direct?.flags[split]?.keep == replay.flags[split]?.keep, "\(split)")
    #expect(direct?.flags[split]?.records == replay.flags[split]?.records, "\(split)")
  }
  #expect(replay.logged.stats == ledger.totals().stats)
  #expect(replay.logged.lengths == ledger.totals().lengths)
  #expect(replay.kept.stats == ledger.totals(droppingSeen: seen).stats)
  #expect(replay.kept.lengths == ledger.totals(droppingSeen: seen).lengths)
  for split in Split.allCases {
    let flags = ledger.documentFlags(split: split, droppingSeen: seen)
    #expect(replay.flags[split]?.keep == flags.keep, "\(split)")
    #expect(replay.flags[split]?.records == flags.records, "\(split)")
  }
}
