// add_index semantics (INTEROP.md §1.7): the §1.8 golden index from two parts, and merging the
// shards of contiguous record slices equals one run byte for byte (the scale-out property).

import Corpus
import Testing

@testable import TokenShards

@Suite struct MegatronIndexMergeTests {
  /// Two uint8 (mask) pairs in `dir`: a = [1, 0, 2] (one document), b = [0, 0] + [7].
  static func writeTwoMaskParts(in dir: String) -> (a: MegatronIndex, b: MegatronIndex) {
    let a = MegatronIndex(dtype: .uint8, sequenceLengths: [3], documentIndices: [0, 1])
    let b = MegatronIndex(dtype: .uint8, sequenceLengths: [2, 1], documentIndices: [0, 2])
    writeFile(dir + "/a.idx", a.encoded())
    writeFile(dir + "/a.bin", [1, 0, 2])
    writeFile(dir + "/b.idx", b.encoded())
    writeFile(dir + "/b.bin", [0, 0, 7])
    return (a, b)
  }

  @Test func twoPartsGiveTheGoldenIndex() throws {
    let a = MegatronIndex(dtype: .uint16, sequenceLengths: [3], documentIndices: [0, 1])
    let b = MegatronIndex(dtype: .uint16, sequenceLengths: [2, 1], documentIndices: [0, 2])
    #expect(try a.appending(b, path: "b.idx").encoded() == MegatronIndexTests.goldenIdx)
    #expect(throws: ShardError.self) {
      try a.appending(MegatronIndex(dtype: .int32), path: "c.idx")
    }
  }

  @Test func stagedMergeChecksDigestsAndCommitsOnRequest() throws {
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    let (a, b) = Self.writeTwoMaskParts(in: dir)
    let parts = [
      MegatronIndex.MergePart(
        prefix: dir + "/a", binSHA256: sha256Hex([1, 0, 2]), idxSHA256: sha256Hex(a.encoded())),
      MegatronIndex.MergePart(prefix: dir + "/b", keep: [true]),
    ]
    let staged = try MegatronIndex.stage(parts: parts, into: dir + "/m")
    #expect(staged.nonZeroBytes == 3)
    let golden = try a.appending(b, path: "b").encoded()
    #expect(staged.files.map(\.bytes) == [6, golden.count])
    #expect(staged.files[0].sha256 == sha256Hex([1, 0, 2, 0, 0, 7]))
    #expect(ShardFiles.size(dir + "/m.bin") == nil && ShardFiles.size(dir + "/m.idx") == nil)
    try staged.commit()
    #expect(readFile(dir + "/m.bin") == [1, 0, 2, 0, 0, 7])
    #expect(readFile(dir + "/m.idx") == golden)
    // A digest that does not match names the file and leaves nothing behind.
    var bad = parts
    bad[1].binSHA256 = sha256Hex([0, 0, 8])
    #expect(
      throws: ShardError.checksumMismatch(
        path: dir + "/b.bin", expected: sha256Hex([0, 0, 8]), found: sha256Hex([0, 0, 7]))
    ) {
      try MegatronIndex.stage(parts: bad, into: dir + "/n")
    }
    #expect(
      try ShardFiles.list(dir).sorted() == ["a.bin", "a.idx", "b.bin", "b.idx", "m.bin", "m.idx"])
    // Released without commit: removed.
    _ = try MegatronIndex.stage(parts: parts, into: dir + "/o")
    #expect(try ShardFiles.list(dir).count == 6)
  }

  @Test(arguments: [1, 2])
  func mergesStagedSideBySideEqualEachAlone(threads: Int) throws {
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    _ = Self.writeTwoMaskParts(in: dir)
    let ab = [
      MegatronIndex.MergePart(prefix: dir + "/a"), MegatronIndex.MergePart(prefix: dir + "/b"),
    ]
    let merges = [
      (parts: ab, output: dir + "/m"), (parts: Array(ab.reversed()), output: dir + "/n"),
    ]
    let staged = try MegatronIndex.stage(merges, threads: threads)
    #expect(
      staged.map { $0.files[0].sha256 }
        == [[1, 0, 2, 0, 0, 7], [0, 0, 7, 1, 0, 2]].map(sha256Hex))
    #expect(staged.map(\.nonZeroBytes) == [3, 3])
    for merge in staged { try merge.commit() }
    #expect(readFile(dir + "/n.bin") == [0, 0, 7, 1, 0, 2])
    // Two of three fail: the first failure in order is thrown, and nothing is left behind.
    var bad = ab
    bad[1].binSHA256 = sha256Hex([0, 0, 8])
    var worse = ab
    worse[0].idxSHA256 = sha256Hex([9])
    #expect(
      throws: ShardError.checksumMismatch(
        path: dir + "/b.bin", expected: sha256Hex([0, 0, 8]), found: sha256Hex([0, 0, 7]))
    ) {
      try MegatronIndex.stage(
        [(ab, dir + "/p"), (bad, dir + "/q"), (worse, dir + "/r")], threads: threads)
    }
    #expect(
      try ShardFiles.list(dir).sorted()
        == ["a.bin", "a.idx", "b.bin", "b.idx", "m.bin", "m.idx", "n.bin", "n.idx"])
  }

  @Test func nonZeroCountMatchesTheNaiveOne() {
    #expect(MegatronIndex.countNonZero([0, 1, 0x80, 0xFF, 0, 0, 0, 0x7F, 1, 0]) == 5)
    var state: UInt64 = 7
    for length in [0, 1, 7, 8, 9, 63, 64, 1000] {
      let bytes = (0..<length).map { _ -> UInt8 in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 61 == 0 ? UInt8(truncatingIfNeeded: state >> 33) : 0
      }
      #expect(MegatronIndex.countNonZero(bytes) == MegatronIndex.countNonZeroNaive(bytes))
    }
  }

  @Test(arguments: [1, 2, 3, 7])
  func mergingSlicesEqualsOneRun(parts: Int) throws {
    let tok = ByteTestTokenizer()
    let config = TargetConfig(kind: .seq2seq, validationFraction: 0.2)
    let records = (0..<21).map {
      PreferenceRecord(source: "t:\($0)", prompt: "p\($0)", chosen: "yes \($0)", rejected: "no")
    }
    func run(_ slice: ArraySlice<PreferenceRecord>) throws -> String {
      let dir = temporaryDirectory()
      let writer = try ShardDirectoryWriter(
        directory: dir, header: ShardHeader(config: config, tokenizer: tok))
      let pipeline = try TargetPipeline(tokenizer: tok, config: config)
      try pipeline.process(Array(slice), into: writer)
      try writer.finish(summary: pipeline.summary())
      return dir
    }
    let whole = try run(records[...])
    let size = (records.count + parts - 1) / parts
    let slices = try stride(from: 0, to: records.count, by: size).map {
      try run(records[$0..<min($0 + size, records.count)])
    }
    let out = temporaryDirectory()
    for prefix in ["train", "train_mask", "val", "val_mask"] {
      _ = try MegatronIndex.merge(
        prefixes: slices.map { $0 + "/" + prefix }, into: out + "/" + prefix)
      for ext in [".bin", ".idx"] {
        #expect(
          readFile(out + "/" + prefix + ext) == readFile(whole + "/" + prefix + ext),
          "\(prefix)\(ext)")
      }
    }
    for dir in slices + [whole, out] { removeDirectory(dir) }
  }
}
