// Temp files of killed runs: which names count, and only dead owners' files are removed.

import Foundation
import Testing

@testable import TokenShards

@Suite struct StaleTemporaryFilesTests {
  @Test func ownerPIDIsTheNumberAfterTmp() {
    #expect(StaleTemporaryFiles.ownerPID(of: "train.bin.tmp.20572") == 20572)
    #expect(StaleTemporaryFiles.ownerPID(of: "manifest.json.tmp.7") == 7)
    #expect(StaleTemporaryFiles.ownerPID(of: "train.bin") == nil)
    #expect(StaleTemporaryFiles.ownerPID(of: "notes.tmp.x1") == nil)
    #expect(StaleTemporaryFiles.ownerPID(of: "x.tmp.") == nil)
    #expect(StaleTemporaryFiles.ownerPID(of: "tmp.12") == nil)
    #expect(StaleTemporaryFiles.ownerPID(of: "a.tmp.0") == nil)
    #expect(StaleTemporaryFiles.ownerPID(of: "a.tmp.-3") == nil)
  }

  @Test func removesOnlyFilesOfProcessesThatAreGone() throws {
    let dir = temporaryDirectory()
    let names = [
      "train.bin", "train.bin.tmp.111", "val_mask.idx.tmp.222", "tokenizer.json.tmp.333",
      "keep.tmp.notapid",
    ]
    for name in names {
      #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: nil))
    }
    // A staging directory of a dead rank (RankRunner's `.name.tmp.<pid>`) is not a file: kept.
    try FileManager.default.createDirectory(
      atPath: dir + "/.part.tmp.444", withIntermediateDirectories: false)
    let removed = try StaleTemporaryFiles.remove(in: dir, isRunning: { $0 == 222 })
    #expect(removed == ["tokenizer.json.tmp.333", "train.bin.tmp.111"])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [
        ".part.tmp.444", "keep.tmp.notapid", "train.bin", "val_mask.idx.tmp.222",
      ])
  }

  @Test func ownProcessCountsAsRunning() {
    #expect(StaleTemporaryFiles.isRunning(getpid()))
  }

  /// A writer opened over a directory that a killed run left behind removes the dead run's temp files.
  @Test func writerClearsAKilledRunsTempFiles() throws {
    let dir = temporaryDirectory()
    // pid 2^22 + 1 is above Linux's pid_max ceiling (4,194,304), so no process has it.
    let dead = dir + "/train.bin.tmp.4194305"
    #expect(FileManager.default.createFile(atPath: dead, contents: Data([1, 2, 3])))
    let writer = try ShardDirectoryWriter(
      directory: dir,
      header: ShardHeader(config: TargetConfig(kind: .sft), tokenizer: ByteTestTokenizer()))
    #expect(!FileManager.default.fileExists(atPath: dead))
    writer.discard()
  }
}
