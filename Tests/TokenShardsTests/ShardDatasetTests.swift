// Reading a shard directory back: K16 through the whole writer/reader path (int32 for vocab 70,001),
// uint16 at 65,499, and id range checks on read.

import Corpus
import Testing

@testable import TokenShards

@Suite struct ShardDatasetTests {
  func directory(vocabulary: Int, ids: [UInt32]) throws -> String {
    let dir = temporaryDirectory()
    let header = ShardHeader(
      config: TargetConfig(kind: .prompts), vocabularySize: vocabulary,
      specialIDs: SpecialIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4),
      tokenizerFile: Array("{}".utf8))
    let writer = try ShardDirectoryWriter(directory: dir, header: header)
    let sequence = TokenSequence(
      tokens: [1] + ids + [3], mask: [UInt8](repeating: 0, count: ids.count + 2))
    try writer.write(EncodedRecord(id: 7, split: .train, documents: [[sequence]]))
    try writer.finish(summary: ShardSummary(accounting: .null, lengths: .null))
    return dir
  }

  /// K16: vocab 70,001 → int32 (code 4); ids 65534, 65535, 65536, 70000 read back unchanged.
  @Test func largeVocabularyRoundTrips() throws {
    let ids: [UInt32] = [65534, 65535, 65536, 70000]
    let data = try ShardDataset.open(directory: try directory(vocabulary: 70_001, ids: ids))
    #expect(data.manifest.dtype == .int32)
    #expect(readFile(data.directory + "/train.idx")[17] == 4)
    #expect(try data.documents(split: .train)[0][0].tokens == [1] + ids + [3])
  }

  @Test func vocabularyBelowThresholdIsUInt16() throws {
    let data = try ShardDataset.open(directory: try directory(vocabulary: 65_499, ids: [65_498]))
    #expect(data.manifest.dtype == .uint16)
    #expect(readFile(data.directory + "/train.idx")[17] == 8)
    #expect(try data.documents(split: .train)[0][0].tokens == [1, 65_498, 3])
  }

  /// `openVerified` hashes the files a run reads: one changed byte in train.bin is an error naming
  /// the file (plain `open` checks only sizes and indices, as before).
  @Test func openVerifiedRefusesAChangedBin() throws {
    let dir = try directory(vocabulary: 300, ids: [10, 11, 12])
    _ = try ShardDataset.openVerified(directory: dir)
    var bytes = readFile(dir + "/train.bin")
    bytes[3] ^= 0x01
    writeFile(dir + "/train.bin", bytes)
    _ = try ShardDataset.open(directory: dir)
    let error = #expect(throws: ShardError.self) {
      _ = try ShardDataset.openVerified(directory: dir)
    }
    guard case .checksumMismatch(let path, _, _)? = error else {
      Issue.record("expected a checksum mismatch, got \(String(describing: error))")
      return
    }
    #expect(path == dir + "/train.bin")
    #expect(error?.description.contains("re-run rmprep") == true)
  }

  /// A mask byte other than 0/1 is an error naming the mask file and the byte offset.
  @Test func maskByteOtherThanZeroOrOneIsRefused() throws {
    let dir = try directory(vocabulary: 300, ids: [10, 11, 12])
    var mask = readFile(dir + "/train_mask.bin")
    mask[2] = 7
    writeFile(dir + "/train_mask.bin", mask)
    let data = try ShardDataset.open(directory: dir)
    let error = #expect(throws: ShardError.self) { _ = try data.documents(split: .train) }
    #expect(
      error
        == .invariantViolated(
          path: dir + "/train_mask.bin",
          detail: "byte 2 (sequence 0) is 7; mask bytes must be 0 or 1"))
  }

  @Test func writerRefusesIdsOutsideTheVocabulary() {
    #expect(throws: ShardError.self) { _ = try directory(vocabulary: 70_001, ids: [70_001]) }
  }
}
