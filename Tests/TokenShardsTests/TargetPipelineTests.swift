// Records → shard directory / stream: K11 (empty first completion), dedup and split accounting,
// determinism across thread counts, stream ≡ directory byte for byte, --shard-tokens rolling.

import Corpus
import Foundation
import Testing

@testable import TokenShards

@Suite struct TargetPipelineTests {
  let tok = ByteTestTokenizer()

  func records(_ n: Int) -> [PreferenceRecord] {
    (0..<n).map {
      PreferenceRecord(
        source: "t.jsonl:\($0 + 1)", prompt: "prompt \($0) ", chosen: "good answer \($0)",
        rejected: "bad \($0)")
    }
  }

  func convert(
    _ input: [PreferenceRecord], kind: TargetKind = .seq2seq, threads: Int = 1,
    config: (inout TargetConfig) -> Void = { _ in }, to sink: (ShardHeader) throws -> TargetSink
  ) throws -> TargetPipeline {
    var c = TargetConfig(kind: kind, validationFraction: 0.2)
    config(&c)
    let pipeline = try TargetPipeline(tokenizer: tok, config: c, threads: threads)
    let out = try sink(ShardHeader(config: c, tokenizer: tok))
    for batch in stride(from: 0, to: input.count, by: 7) {
      try pipeline.process(Array(input[batch..<min(batch + 7, input.count)]), into: out)
    }
    try out.finish(summary: pipeline.summary())
    return pipeline
  }

  /// K11: an empty first completion is dropped and counted; no zero-length sequence appears.
  @Test func emptyFirstCompletionIsDroppedNotFatal() throws {
    var input = records(3)
    input[0] = PreferenceRecord(source: "t:1", prompt: "p", chosen: "", rejected: "r")
    let dir = temporaryDirectory()
    let p = try convert(input) { try ShardDirectoryWriter(directory: dir, header: $0) }
    #expect(p.stats.recordsIn == 3 && p.stats.recordsConverted == 2)
    #expect(p.stats.dropped == [.emptyCompletion: 1])
    let data = try ShardDataset.open(directory: dir)
    let all = try data.documents(split: .train) + data.documents(split: .val)
    #expect(all.count == 4)
    #expect(all.allSatisfy { $0.allSatisfy { $0.count > 0 } })
  }

  @Test func duplicatesAreDroppedAndSplitIsByIdHash() throws {
    let base = records(40)
    let input = base + base.prefix(5)
    let dir = temporaryDirectory()
    let p = try convert(input) { try ShardDirectoryWriter(directory: dir, header: $0) }
    #expect(p.stats.dropped[.duplicate] == 5)
    let expectedVal = base.filter { RecordID.isValidation(id: $0.id, fraction: 0.2) }.count
    #expect(p.stats.recordsBySplit[.val] == expectedVal)
    #expect(p.stats.recordsBySplit[.train] == 40 - expectedVal)
    let m = try ShardDataset.open(directory: dir).manifest
    #expect(m.splits[.val]?.records == expectedVal)
    #expect(m.splits[.val]?.documents == 2 * expectedVal)
    #expect(p.stats.examples == ["correction": 40, "identity": 40])
  }

  /// The split is the same for every kind: the same records land in val.
  @Test func splitAgreesAcrossKinds() throws {
    var valRecords: [TargetKind: Int] = [:]
    for kind in TargetKind.allCases {
      let p = try convert(records(50), kind: kind) { _ in MemorySinkTarget() }
      valRecords[kind] = p.stats.recordsBySplit[.val]
    }
    #expect(Set(valRecords.values).count == 1)
  }

  @Test func outputIsIdenticalForAnyThreadCount() throws {
    var files: [[String: [UInt8]]] = []
    for threads in [1, 2, 3] {
      let dir = temporaryDirectory()
      _ = try convert(records(60), threads: threads) {
        try ShardDirectoryWriter(directory: dir, header: $0)
      }
      var contents: [String: [UInt8]] = [:]
      for name in try ShardFiles.list(dir) { contents[name] = readFile(dir + "/" + name) }
      files.append(contents)
    }
    #expect(files[0] == files[1] && files[1] == files[2])
  }

  /// `convert -o - | rmprep shards --from-stream -` gives the same bytes as `convert -o DIR`.
  @Test(arguments: TargetKind.allCases)
  func streamThenShardsEqualsDirectDirectory(kind: TargetKind) throws {
    let direct = temporaryDirectory()
    _ = try convert(records(30), kind: kind) {
      try ShardDirectoryWriter(directory: direct, header: $0)
    }
    let sink = MemorySink()
    _ = try convert(records(30), kind: kind) { try ShardStreamWriter(output: sink, header: $0) }
    let viaStream = temporaryDirectory()
    _ = try readStream(bytes: sink.bytes, expectedTokenizerSHA256: tok.fileSHA256, into: viaStream)
    let names = try ShardFiles.list(direct)
    #expect(names == (try ShardFiles.list(viaStream)))
    for name in names {
      #expect(readFile(direct + "/" + name) == readFile(viaStream + "/" + name), "\(name)")
    }
    #expect(ShardVerifier.verify(directory: viaStream).isValid)
  }

  @Test func shardTokensRollsToNewShards() throws {
    let dir = temporaryDirectory()
    _ = try convert(records(40)) { c in
      c.shardTokens = 200
    } to: {
      try ShardDirectoryWriter(directory: dir, header: $0)
    }
    let data = try ShardDataset.open(directory: dir)
    let parts = data.manifest.splits[.train]!.parts
    #expect(parts.count > 1)
    #expect(parts.map(\.prefix).prefix(2) == ["train-00000", "train-00001"])
    #expect(parts.dropLast().allSatisfy { $0.tokens >= 200 })
    let all = try data.documents(split: .train)
    #expect(all.count == data.manifest.splits[.train]!.documents)
    // forEachDocument walks the parts in order and stops where the body says, here inside part 2.
    let stopAt = parts[0].documents + 1
    var seen: [[TokenSequence]] = []
    try data.forEachDocument(split: .train) { document in
      seen.append(document)
      return seen.count < stopAt
    }
    #expect(seen == Array(all.prefix(stopAt)))
    #expect(ShardVerifier.verify(directory: dir).isValid)
  }

  /// A run that dies before `finish` leaves the previous directory exactly as it was, and no
  /// temp sibling behind; a finished run replaces it.
  @Test func interruptedRunLeavesThePreviousDirectoryIntact() throws {
    let dir = temporaryDirectory()
    _ = try convert(records(10)) { try ShardDirectoryWriter(directory: dir, header: $0) }
    let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    let manifest = try Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))
    let c = TargetConfig(kind: .seq2seq)
    do {
      let writer = try ShardDirectoryWriter(
        directory: dir, header: ShardHeader(config: c, tokenizer: tok))
      let p = try TargetPipeline(tokenizer: tok, config: c)
      try p.process(records(5), into: writer)
      writer.discard()  // what a failure or Ctrl-C does
    }
    #expect(ShardVerifier.verify(directory: dir).isValid)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == before)
    #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json")) == manifest)
    let parent = (dir as NSString).deletingLastPathComponent
    let name = (dir as NSString).lastPathComponent
    let siblings = {
      try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix(name) }
    }
    #expect(try siblings() == [name])
    _ = try convert(records(5)) { try ShardDirectoryWriter(directory: dir, header: $0) }
    #expect(
      try ShardDataset.open(directory: dir).manifest.splits.values.map(\.records).reduce(0, +) == 5)
    #expect(try siblings() == [name])
  }

  /// Missing parents are created; a file or a directory of other files is never replaced.
  @Test func writerCreatesParentsAndRefusesForeignPaths() throws {
    let root = temporaryDirectory()
    let nested = root + "/a/b/shards"
    _ = try convert(records(3)) { try ShardDirectoryWriter(directory: nested, header: $0) }
    #expect(ShardVerifier.verify(directory: nested).isValid)
    let header = ShardHeader(config: TargetConfig(kind: .sft), tokenizer: tok)
    let file = root + "/a/file"
    #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
    #expect(
      throws: ShardError.notShardDirectory(
        path: file, detail: "is a file, not a shard directory; choose another -o")
    ) { _ = try ShardDirectoryWriter(directory: file, header: header) }
    #expect(
      throws: ShardError.notShardDirectory(
        path: root + "/a",
        detail:
          "exists and holds files that are not shards (b, file); choose a new -o directory or remove it"
      )
    ) { _ = try ShardDirectoryWriter(directory: root + "/a", header: header) }
  }

  @Test func specialTextIsCountedAndStaysText() throws {
    let input = [
      PreferenceRecord(
        source: "t:1", prompt: "say <|eos|>", chosen: "ok <|bos|><|bos|>", rejected: "no")
    ]
    let sink = MemorySinkTarget()
    let p = try convert(input) { _ in sink }
    #expect(p.stats.specialTextOccurrences == 3)
    let eosCount = sink.records[0].documents[0][0].tokens.filter { $0 == tok.specialIDs.eos }.count
    #expect(eosCount == 1)
  }
}

/// Collects records in memory.
final class MemorySinkTarget: TargetSink {
  var records: [EncodedRecord] = []
  func write(_ record: EncodedRecord) throws { records.append(record) }
  func finish(summary: ShardSummary) throws {}
  func discard() {}
}
