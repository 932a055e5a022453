// The record ledger (`records.ledger`): exact file bytes and round trip, totals with and without
// the ids of earlier ranks, refusals, and — against the reference, a second conversion with those
// ids assumed seen — the pipeline's ledger adding up to its counters, and the part's documents
// kept by its flags having the reference's bytes and counters.

import Corpus
import Testing

@testable import TokenShards

@Suite struct RecordLedgerTests {
  func example() -> RecordLedger {
    var cut = TargetStats()
    cut.targetsCut = 1
    cut.targetTokensCut = 300
    var special = TargetStats()
    special.specialTextOccurrences = 2
    return RecordLedger(rows: [
      .init(id: 5, outcome: .duplicate),
      .init(
        id: 6, outcome: .dropped(.targetLostEOS), promptLength: 3, chosenLength: 4,
        rejectedLength: 2, stats: cut),
      .init(
        id: .max, outcome: .documents(split: .val, roles: ["correction", "identity"]),
        promptLength: 1, chosenLength: 9, rejectedLength: nil, stats: special),
    ])
  }

  @Test func bytesAndRoundTrip() throws {
    let ledger = example()
    let bytes = ledger.encoded()
    let zeros = [UInt8](repeating: 0, count: 7)
    // id (8 bytes LE), then varints: outcome, split, detail, roles, lengths + 1, 8 counters.
    let expected: [[UInt8]] = [
      [5] + zeros + [UInt8](repeating: 0, count: 15),
      [6] + zeros + [1, 0, 3, 0, 4, 5, 3, 0, 0, 0, 0, 1, 0xAC, 0x02, 0, 0],
      [UInt8](repeating: 0xFF, count: 8) + [2, 1, 2, 1 | 2 << 3, 2, 10, 0, 0, 0, 0, 0, 0, 0, 0, 2],
    ]
    #expect(bytes == expected.flatMap { $0 })
    #expect(try RecordLedger.decode(bytes, path: "l") == ledger)
  }

  @Test func totalsCountSeenIDsAsDuplicates() {
    let all = example().totals()
    #expect(all.stats.recordsIn == 3)
    #expect(all.stats.dropped == [.duplicate: 1, .targetLostEOS: 1])
    #expect(all.stats.recordsConverted == 1)
    #expect(all.stats.recordsBySplit == [.val: 1])
    #expect(all.stats.examples == ["correction": 1, "identity": 1])
    #expect(all.stats.targetTokensCut == 300)
    #expect(all.stats.specialTextOccurrences == 2)
    #expect(all.lengths.prompt.sortedCounts.map(\.length) == [1, 3])
    #expect(all.lengths.rejected.count == 1)
    let seen = example().totals(droppingSeen: [.max, 5])
    #expect(seen.stats.recordsIn == 3)
    #expect(seen.stats.dropped == [.duplicate: 2, .targetLostEOS: 1])
    #expect(seen.stats.recordsConverted == 0)
    #expect(seen.stats.examples.isEmpty && seen.stats.recordsBySplit.isEmpty)
    #expect(seen.stats.specialTextOccurrences == 0)
    #expect(seen.lengths.prompt.sortedCounts.map(\.length) == [3])
  }

  @Test func decodeRefusesBadRows() {
    var bytes = example().encoded()
    do {
      _ = try RecordLedger.decode(Array(bytes.dropLast()), path: "x/records.ledger")
      Issue.record("accepted a partial row")
    } catch { #expect("\(error)".contains("x/records.ledger")) }
    bytes[23 + 8] = 3  // row 1's outcome
    do {
      _ = try RecordLedger.decode(bytes, path: "x/records.ledger")
      Issue.record("accepted outcome code 3")
    } catch { #expect("\(error)".contains("row 1")) }
  }

  /// Records with duplicates (one in a later batch), an empty response and responses long enough
  /// to be cut.
  private func records() -> [PreferenceRecord] {
    (0..<12).map { i in
      let n = [0, 1, 2, 1, 4, 5, 6, 7, 8, 2, 10, 11][i]
      return PreferenceRecord(
        source: "t:\(i)", prompt: "q\(n)",
        chosen: n == 6 ? "" : " yes" + String(repeating: "!", count: n), rejected: " no\(n)")
    }
  }

  @Test func droppingSeenIDsEqualsConvertingAgain() throws {
    let config = TargetConfig(kind: .seq2seq, maxLength: 14, identityRatio: 0.5)
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    let tok = ByteTestTokenizer()
    let pipeline = try TargetPipeline(tokenizer: tok, config: config)
    pipeline.keepLedger()
    let sink = try ShardDirectoryWriter(
      directory: dir + "/part", header: ShardHeader(config: config, tokenizer: tok))
    let input = records()
    try pipeline.process(Array(input[0..<6]), into: sink)
    try pipeline.process(Array(input[6...]), into: sink)
    try sink.finish(summary: pipeline.summary())
    let ledger = try #require(pipeline.ledger)
    #expect(ledger.rows.count == 12)
    #expect(ledger.rows[3].outcome == .duplicate && ledger.rows[9].outcome == .duplicate)
    #expect(pipeline.stats.inputsCut > 0, "\(pipeline.stats)")
    #expect(pipeline.stats.dropped[.emptyCompletion] == 1)
    let own = ledger.totals()
    #expect(own.stats == pipeline.stats)
    #expect(own.lengths == pipeline.lengths)
    // Ids "seen by an earlier rank": kept records 0, 5 and 7 and the empty-response record 6.
    let seen: Set<UInt64> = Set([0, 5, 6, 7].map { UInt64(input[$0].id.prefix(16), radix: 16)! })
    let reference = try TargetPipeline(tokenizer: tok, config: config)
    reference.assumeSeen(seen)
    let expected = try ShardDirectoryWriter(
      directory: dir + "/reference", header: ShardHeader(config: config, tokenizer: tok))
    try reference.process(input, into: expected)
    try expected.finish(summary: reference.summary())
    let manifest = try ShardDataset.open(directory: dir + "/reference").manifest
    for split in Split.allCases {
      let flags = ledger.documentFlags(split: split, droppingSeen: seen)
      #expect(flags.records == manifest.splits[split]!.records, "\(split)")
      for name in [split.rawValue, split.rawValue + "_mask"] {
        let prefix = dir + "/part/" + name
        let index = try MegatronIndex.decode(readFile(prefix + ".idx"), path: prefix)
        let kept = try index.keeping(flags.keep, bin: readFile(prefix + ".bin"), path: prefix)
        #expect(kept.bin == readFile(dir + "/reference/" + name + ".bin"), "\(name)")
        #expect(kept.index.encoded() == readFile(dir + "/reference/" + name + ".idx"), "\(name)")
      }
    }
    #expect(ledger.documentFlags(split: .train, droppingSeen: seen).keep.contains(false))
    let dropped = ledger.totals(droppingSeen: seen)
    #expect(dropped.stats == reference.stats)
    #expect(dropped.lengths == reference.lengths)
    // The one-pass replays merge uses equal the separate totals and flags
    // (RecordLedger+ReplayTests).
    for ids in [[], seen, Set(ledger.rows.map(\.id))] {
      expectReplayMatches(ledger, seen: ids)
    }
    expectReplayMatches(example(), seen: [.max, 5])
  }
}
