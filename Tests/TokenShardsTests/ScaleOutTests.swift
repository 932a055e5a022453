// Scale-out (INTEROP.md §5.3): cutting inputs at record boundaries (chunked and threaded against
// the in-memory reference, exact offsets on a small input), the plan's JSON, and plan → ranks (in
// any order) → merge equal to one conversion byte for byte, with cross-rank duplicates, a corrupt
// part and an unfinished rank. The CLI and compressed inputs are covered by scripts/test.d/scale-out.sh.

import Corpus
import Testing

@testable import TokenShards

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ScaleOutTests {
  @Test func cutsMoveToTheNextRecordBoundary() throws {
    let bytes = Array("ab\ncd\nef\n".utf8)
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    writeFile(dir + "/f", bytes)
    let reference = FileCutter.naiveCut(bytes: bytes, targets: [1, 4, 8], splittable: true)
    #expect(reference.cuts == [3, 6, 9])
    #expect(reference.pieceFirstLine == [1, 2, 3, 4])
    #expect(reference.pieceSHA256[0] == sha256Hex(Array("ab\n".utf8)))
    #expect(reference.pieceSHA256[3] == sha256Hex([]))
    for chunk in [1, 2, 4, 1 << 20] {
      for threads in [1, 2, 3] {
        let cut = try FileCutter.cut(
          path: dir + "/f", targets: [1, 4, 8], splittable: true, chunkSize: chunk,
          threads: threads)
        #expect(cut == reference, "chunk \(chunk), \(threads) threads")
      }
    }
    // A target right after a newline stays; two targets in one record share its end.
    #expect(
      FileCutter.naiveCut(bytes: bytes, targets: [3, 4, 5], splittable: true).cuts == [3, 6, 6])
    // Compressed (unsplittable) inputs go whole: every cut is at the end.
    let whole = try FileCutter.cut(
      path: dir + "/f", targets: [1, 4], splittable: false, threads: 2)
    #expect(whole.cuts == [9, 9])
    #expect(whole.pieceSHA256[0] == sha256Hex(bytes))
    #expect(whole == FileCutter.naiveCut(bytes: bytes, targets: [1, 4], splittable: false))
  }

  @Test func cutsEqualTheReference() throws {
    var state: UInt64 = 7
    var bytes: [UInt8] = []
    for _ in 0..<3000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      bytes.append(state >> 60 == 0 ? 0x0A : UInt8(97 + (state >> 33) % 26))
    }
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    writeFile(dir + "/f", bytes)
    // Targets every 97 bytes (several in one record), and a few far apart (uneven pieces).
    for targets in [stride(from: 1, to: bytes.count, by: 97).map { $0 }, [5, 6, 2500, 2999]] {
      let reference = FileCutter.naiveCut(bytes: bytes, targets: targets, splittable: true)
      for chunk in [1, 3, 64, 1000, 1 << 16] {
        for threads in [1, 2, 4] {
          #expect(
            try FileCutter.cut(
              path: dir + "/f", targets: targets, splittable: true, chunkSize: chunk,
              threads: threads) == reference, "chunk \(chunk), \(threads) threads")
        }
      }
    }
  }

  /// Two JSONL inputs (the second repeats records of the first: cross-rank duplicates).
  private func corpus(_ dir: String) -> [String] {
    func line(_ i: Int) -> String {
      #"{"prompt": "q\#(i)", "chosen": " yes \#(i)\#(String(repeating: "!", count: i % 5))", "rejected": " no"}"#
    }
    let a = (0..<30).map(line).joined(separator: "\n") + "\n"
    let b = ([3, 31, 7, 32, 33, 29].map(line) + ["{broken"]).joined(separator: "\n") + "\n"
    writeFile(dir + "/a.jsonl", Array(a.utf8))
    writeFile(dir + "/b.jsonl", Array(b.utf8))
    writeFile(dir + "/tok.json", ByteTestTokenizer().fileBytes)
    return [dir + "/b.jsonl", dir + "/a.jsonl"]
  }

  /// One process, as `rmprep convert --targets` does it.
  private func single(_ inputs: [String], config: TargetConfig, into out: String) throws {
    let tok = ByteTestTokenizer()
    let records = try RecordPipeline(options: PipelineOptions())
    let targets = try TargetPipeline(tokenizer: tok, config: config)
    let sink = try ShardDirectoryWriter(
      directory: out, header: ShardHeader(config: config, tokenizer: tok))
    try records.run(inputs: inputs) { record in
      try targets.process([record], into: sink)
      return .written
    }
    var upstream = records.accounting.statsJSON(inputs: inputs, format: "auto", seconds: 0)
    if case .object(let members) = upstream {
      upstream = .object(members.filter { $0.key != "timing" })
    }
    try sink.finish(summary: targets.summary(upstream: upstream))
  }

  @Test(arguments: [1, 2, 3, 7])
  func planShardMergeEqualsOneRun(worldSize: Int) throws {
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    let inputs = corpus(dir)
    let config = TargetConfig(kind: .seq2seq, validationFraction: 0.2)
    try single(inputs.sorted(), config: config, into: dir + "/single")
    let plan = try ScalePlanner.plan(
      inputs: inputs, worldSize: worldSize, config: config, format: "auto", formatOptions: [:],
      maxRejectRate: 0.5, tokenizerPath: dir + "/tok.json")
    #expect(try ScalePlan.decode(plan.encoded(), path: "plan.json") == plan)
    let sha = sha256Hex(plan.encoded())
    var rankTokens = 0
    var ranges: [RankManifest.InputRange] = []
    for rank in (0..<worldSize).reversed() {  // out of order
      let (manifest, done) = try RankRunner.run(
        plan: plan, planSHA256: sha, rank: rank, partsDirectory: dir + "/parts",
        loadTokenizer: { ByteTestTokenizer() })
      #expect(!done)
      rankTokens += manifest.tokens
      ranges = manifest.inputRange + ranges
    }
    // The ranks' input ranges tile each input, in plan (sorted path) order.
    let sizes = inputs.sorted().map { readFile($0).count }
    for (i, path) in inputs.sorted().enumerated() {
      let mine = ranges.filter { $0.path == path }
      #expect(mine.first?.start == 0 && mine.last?.end == sizes[i], "\(path)")
      #expect(zip(mine, mine.dropFirst()).allSatisfy { $0.end == $1.start }, "\(path)")
    }
    let again = try RankRunner.run(
      plan: plan, planSHA256: sha, rank: 0, partsDirectory: dir + "/parts",
      loadTokenizer: { ByteTestTokenizer() })
    #expect(again.alreadyDone)
    let report = try PartMerger.merge(
      plan: plan, planSHA256: sha, partsDirectory: dir + "/parts", output: dir + "/merged",
      loadTokenizer: { ByteTestTokenizer() })
    #expect(report.stats.dropped[.duplicate] == 3)  // 3, 7 and 29 again in b.jsonl
    #expect(report.upstream.rejected[.invalidJSON] == 1)
    let merged = try ShardManifest.decode(
      ShardFiles.read(dir + "/merged/manifest.json"), path: "manifest.json")
    // Part manifests count every token their rank wrote; the merge drops later ranks' duplicates.
    let mergedTokens = merged.splits.values.reduce(0) { $0 + $1.tokens }
    if report.ranksWithEarlierDuplicates.isEmpty {
      #expect(rankTokens == mergedTokens)
    } else {
      #expect(rankTokens > mergedTokens)
    }
    let names = try ShardFiles.list(dir + "/single")
    #expect(names.count == 10)
    #expect(try ShardFiles.list(dir + "/merged") == names)
    for name in names {
      #expect(readFile(dir + "/merged/" + name) == readFile(dir + "/single/" + name), "\(name)")
    }
    // The reference for cross-rank duplicates: converting those ranks again gives the same bytes.
    let reference = try PartMerger.merge(
      plan: plan, planSHA256: sha, partsDirectory: dir + "/parts", output: dir + "/reference",
      loadTokenizer: { ByteTestTokenizer() }, dedup: .reconvert)
    #expect(reference == report)
    #expect(report.ranksWithEarlierDuplicates.isEmpty == (worldSize == 1))
    for name in names {
      #expect(readFile(dir + "/reference/" + name) == readFile(dir + "/single/" + name), "\(name)")
    }
  }

  @Test func mergeRefusesUnfinishedForeignAndCorruptParts() throws {
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    let inputs = corpus(dir)
    let config = TargetConfig(kind: .pairs)
    let plan = try ScalePlanner.plan(
      inputs: inputs, worldSize: 3, config: config, format: "auto", formatOptions: [:],
      maxRejectRate: 0.5, tokenizerPath: dir + "/tok.json")
    let sha = sha256Hex(plan.encoded())
    let parts = dir + "/parts"
    func merge() throws {
      _ = try PartMerger.merge(
        plan: plan, planSHA256: sha, partsDirectory: parts, output: dir + "/out",
        loadTokenizer: { ByteTestTokenizer() })
    }
    for rank in [0, 2] {
      _ = try RankRunner.run(
        plan: plan, planSHA256: sha, rank: rank, partsDirectory: parts,
        loadTokenizer: { ByteTestTokenizer() })
    }
    // Rank 1 was "killed": its part directory exists, its manifest does not.
    _ = try RankRunner.run(
      plan: plan, planSHA256: sha, rank: 1, partsDirectory: parts,
      loadTokenizer: { ByteTestTokenizer() })
    let marker = parts + "/part-00001-of-00003.manifest.json"
    try #require(unlink(marker) == 0)
    #expect(throws: ShardError.self) { try merge() }
    #expect(ShardFiles.size(dir + "/out/manifest.json") == nil)
    do { try merge() } catch { #expect("\(error)".contains("ranks have not finished (1)")) }
    // Re-running rank 1 completes it; a flipped byte in a part makes merge fail naming it.
    let rerun = try RankRunner.run(
      plan: plan, planSHA256: sha, rank: 1, partsDirectory: parts,
      loadTokenizer: { ByteTestTokenizer() })
    #expect(!rerun.alreadyDone)
    try merge()
    let victim = parts + "/part-00002-of-00003/train.bin"
    var bytes = readFile(victim)
    bytes[bytes.count / 2] ^= 0x01
    writeFile(victim, bytes)
    do {
      try merge()
      Issue.record("merge accepted a flipped byte")
    } catch {
      #expect("\(error)".contains("part-00002-of-00003/train.bin"))
    }
    bytes[bytes.count / 2] ^= 0x01
    writeFile(victim, bytes)
    // The pairs are checked while they are merged: a flipped byte in the last pair merged still
    // fails before any merged file is put in place, and a truncated part fails up front.
    let lastPair = parts + "/part-00000-of-00003/val_mask.idx"
    let idx = readFile(lastPair)
    var flipped = idx
    flipped[flipped.count - 1] ^= 0x80
    writeFile(lastPair, flipped)
    let fresh = dir + "/fresh"
    do {
      _ = try PartMerger.merge(
        plan: plan, planSHA256: sha, partsDirectory: parts, output: fresh,
        loadTokenizer: { ByteTestTokenizer() })
      Issue.record("merge accepted a flipped byte in an index")
    } catch {
      #expect("\(error)".contains("part-00000-of-00003/val_mask.idx: checksum mismatch"))
    }
    #expect(((try? ShardFiles.list(fresh)) ?? []).isEmpty)
    writeFile(lastPair, Array(idx.dropLast()))
    do {
      try merge()
      Issue.record("merge accepted a truncated part")
    } catch {
      #expect(
        "\(error)".contains("val_mask.idx: checksum mismatch: manifest says \(idx.count) bytes"))
    }
    writeFile(lastPair, idx)
    try merge()
    // A marker from another plan is refused by merge and by shard.
    #expect(throws: ShardError.self) {
      try RankRunner.verify(
        plan: plan, planSHA256: String(repeating: "0", count: 64), rank: 0, partsDirectory: parts)
    }
    #expect(throws: ShardError.self) {
      try RankRunner.run(
        plan: plan, planSHA256: String(repeating: "0", count: 64), rank: 0, partsDirectory: parts,
        loadTokenizer: { ByteTestTokenizer() })
    }
  }

  @Test func planDecodeRefusesGaps() throws {
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    var plan = try ScalePlanner.plan(
      inputs: corpus(dir), worldSize: 2, config: TargetConfig(kind: .sft), format: "auto",
      formatOptions: [:], maxRejectRate: 0.5, tokenizerPath: dir + "/tok.json")
    #expect(plan.ranks.map(\.count) == [1, 2] || plan.ranks.map(\.count) == [2, 1])
    plan.ranks[1].removeFirst()
    #expect(throws: ShardError.self) { try ScalePlan.decode(plan.encoded(), path: "p.json") }
    #expect(throws: ShardError.self) {
      try ScalePlanner.plan(
        inputs: ["-"], worldSize: 2, config: TargetConfig(kind: .sft), format: "auto",
        formatOptions: [:], maxRejectRate: 0, tokenizerPath: dir + "/tok.json")
    }
  }

  @Test func lastIndexBelowEqualsTheLinearSearch() {
    var state: UInt64 = 11
    for count in [0, 1, 2, 5, 64] {
      var sorted: [Int] = []
      for _ in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        sorted.append((sorted.last ?? 0) + Int(state >> 62))  // steps of 0…3: repeats
      }
      for value in -1...((sorted.last ?? 0) + 2) {
        #expect(
          ScalePlanner.lastIndex(in: sorted, below: value)
            == sorted.indices.last(where: { sorted[$0] < value }), "\(sorted), \(value)")
      }
    }
  }

  @Test(arguments: [5, 200])
  func manyRanksTileEveryInput(worldSize: Int) throws {
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    let inputs = corpus(dir) + [dir + "/empty.jsonl"]
    writeFile(dir + "/empty.jsonl", [])
    let plan = try ScalePlanner.plan(
      inputs: inputs, worldSize: worldSize, config: TargetConfig(kind: .sft), format: "trl",
      formatOptions: [:], maxRejectRate: 0.5, tokenizerPath: dir + "/tok.json")
    #expect(plan.ranks.count == worldSize)
    for (i, input) in plan.inputs.enumerated() {
      let bytes = readFile(input.path)
      let pieces = plan.ranks.flatMap { $0.filter { $0.input == i } }
      // In rank order the pieces tile the input (an empty input: one empty piece).
      #expect(pieces.first?.start == 0 && pieces.last?.end == bytes.count, "\(input.path)")
      #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.end == $1.start })
      #expect(pieces.allSatisfy { $0.end > $0.start } || bytes.isEmpty)
      for piece in pieces {
        #expect(piece.sha256 == sha256Hex(Array(bytes[piece.start..<piece.end])))
        #expect(piece.firstLine == 1 + bytes[0..<piece.start].filter { $0 == 0x0A }.count)
      }
    }
  }
}
