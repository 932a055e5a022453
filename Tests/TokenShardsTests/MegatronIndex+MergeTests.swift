// add_index semantics (INTEROP.md §1.7): the §1.8 golden index from two parts, and merging the
// shards of contiguous record slices equals one run byte for byte (the scale-out property).

import Corpus
import Testing

@testable import TokenShards

@Suite struct MegatronIndexMergeTests {
  @Test func twoPartsGiveTheGoldenIndex() throws {
    let a = MegatronIndex(dtype: .uint16, sequenceLengths: [3], documentIndices: [0, 1])
    let b = MegatronIndex(dtype: .uint16, sequenceLengths: [2, 1], documentIndices: [0, 2])
    #expect(try a.appending(b, path: "b.idx").encoded() == MegatronIndexTests.goldenIdx)
    #expect(throws: ShardError.self) {
      try a.appending(MegatronIndex(dtype: .int32), path: "c.idx")
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
