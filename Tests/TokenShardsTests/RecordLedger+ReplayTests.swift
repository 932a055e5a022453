// One-pass ledger replays (`RecordLedger.replay(droppingSeen:)` on rows and
// `RecordLedger.replay(encoded:path:droppingSeen:)` on the file bytes) against the references
// `totals` and `documentFlags`; a bad ledger is refused by the byte replay as by `decode`.

import Testing

@testable import TokenShards

@Suite struct RecordLedgerReplayTests {
  @Test func replaysEqualTheReferences() {
    let ledger = RecordLedgerTests().example()
    for seen: Set<UInt64> in [[], [.max, 5], Set(ledger.rows.map(\.id))] {
      expectReplayMatches(ledger, seen: seen)
    }
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
