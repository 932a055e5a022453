// `rmprep verify` catches: a truncated .bin, a flipped byte, a missing index, a manifest that
// belongs to other files, a broken layout; a good directory passes. Also ShardDataset.open checks.

import Corpus
import Foundation
import Testing

@testable import TokenShards

@Suite struct ShardVerifierTests {
  let tok = ByteTestTokenizer()

  func makeDirectory(_ kind: TargetKind = .seq2seq, prompt: String = "p") throws -> String {
    let dir = temporaryDirectory()
    let config = TargetConfig(kind: kind, validationFraction: 0.3)
    let writer = try ShardDirectoryWriter(
      directory: dir, header: ShardHeader(config: config, tokenizer: tok))
    let pipeline = try TargetPipeline(tokenizer: tok, config: config)
    let records = (0..<12).map {
      PreferenceRecord(
        source: "t:\($0)", prompt: "\(prompt) \($0)", chosen: "yes \($0)", rejected: "no \($0)")
    }
    try pipeline.process(records, into: writer)
    try writer.finish(summary: pipeline.summary())
    return dir
  }

  @Test(arguments: TargetKind.allCases)
  func goodDirectoryVerifies(kind: TargetKind) throws {
    let report = ShardVerifier.verify(directory: try makeDirectory(kind))
    #expect(report.problems == [])
    #expect(report.filesChecked == 9)
  }

  @Test func truncatedBinIsNamed() throws {
    let dir = try makeDirectory()
    writeFile(dir + "/train.bin", Array(readFile(dir + "/train.bin").dropLast(2)))
    let problems = ShardVerifier.verify(directory: dir).problems
    #expect(
      problems.contains {
        if case .checksumMismatch(let path, _, _) = $0 { return path.hasSuffix("train.bin") };
        return false
      })
    #expect(throws: ShardError.self) { try ShardDataset.open(directory: dir) }
  }

  @Test func flippedByteIsNamed() throws {
    let dir = try makeDirectory()
    var bytes = readFile(dir + "/val_mask.bin")
    bytes[3] ^= 1
    writeFile(dir + "/val_mask.bin", bytes)
    let problems = ShardVerifier.verify(directory: dir).problems
    #expect(
      problems.contains {
        if case .checksumMismatch(let path, _, _) = $0 { return path.hasSuffix("val_mask.bin") };
        return false
      })
    #expect(
      problems.contains {
        if case .invariantViolated(let path, let detail) = $0 {
          return path.hasSuffix("val.bin") && detail.contains("mask")
        }; return false
      })
  }

  @Test func missingIndexIsNamed() throws {
    let dir = try makeDirectory()
    try FileManager.default.removeItem(atPath: dir + "/train_mask.idx")
    let problems = ShardVerifier.verify(directory: dir).problems
    #expect(problems.contains(.missingFile(path: dir + "/train_mask.idx")))
    #expect(throws: ShardError.missingFile(path: dir + "/train_mask.idx")) {
      try ShardDataset.open(directory: dir)
    }
  }

  @Test func manifestForOtherFilesIsCaught() throws {
    let a = try makeDirectory(prompt: "alpha")
    let b = try makeDirectory(prompt: "beta")
    writeFile(a + "/manifest.json", readFile(b + "/manifest.json"))
    let problems = ShardVerifier.verify(directory: a).problems
    #expect(
      problems.contains {
        if case .checksumMismatch = $0 { return true }; return false
      })
  }

  /// A shard file the manifest does not list (left by an earlier run) is reported, and a new run
  /// into the directory removes it.
  @Test func unlistedShardFileIsNamedAndTheNextRunRemovesIt() throws {
    let dir = try makeDirectory()
    writeFile(dir + "/train-00003.bin", [1, 2, 3])
    #expect(
      ShardVerifier.verify(directory: dir).problems == [
        .invariantViolated(
          path: dir + "/train-00003.bin",
          detail: "not listed in manifest.json (left by another run?); re-run rmprep convert")
      ])
    let config = TargetConfig(kind: .seq2seq, validationFraction: 0.3)
    let writer = try ShardDirectoryWriter(
      directory: dir, header: ShardHeader(config: config, tokenizer: tok))
    try writer.finish(summary: try TargetPipeline(tokenizer: tok, config: config).summary())
    #expect(!FileManager.default.fileExists(atPath: dir + "/train-00003.bin"))
    #expect(FileManager.default.fileExists(atPath: dir + "/train.bin"))
  }

  @Test func noManifestMeansIncomplete() throws {
    let dir = try makeDirectory()
    try FileManager.default.removeItem(atPath: dir + "/manifest.json")
    #expect(ShardVerifier.verify(directory: dir).problems == [.incomplete(directory: dir)])
  }

  @Test func layoutChecksPerKind() {
    let s = tok.specialIDs
    #expect(
      ShardVerifier.layoutProblem(
        [1, 9, 3, 8, 4, 7, 2], [0, 0, 0, 0, 0, 1, 1], kind: .seq2seq, specials: s) == nil)
    #expect(
      ShardVerifier.layoutProblem(
        [1, 9, 3, 8, 4, 7, 2], [0, 0, 0, 0, 1, 1, 1], kind: .seq2seq, specials: s)
        == "mask must be 1 exactly after SEP_CORR")
    #expect(
      ShardVerifier.layoutProblem([9, 3, 7, 2], [0, 0, 1, 1], kind: .sft, specials: s)
        == "does not start with BOS")
    #expect(
      ShardVerifier.layoutProblem([1, 9, 2, 3, 7, 2], [0, 0, 0, 0, 1, 1], kind: .sft, specials: s)
        == "EOS not only at the end")
    #expect(
      ShardVerifier.layoutProblem([1, 9, 3, 7, 2], [0, 0, 0, 0, 1], kind: .pairs, specials: s)
        == nil)
    #expect(ShardVerifier.layoutProblem([1, 9, 3], [0, 0, 0], kind: .prompts, specials: s) == nil)
  }

  @Test func tokenizerMismatchIsRefused() throws {
    let data = try ShardDataset.open(directory: try makeDirectory())
    #expect(throws: ShardError.self) {
      try data.requireTokenizer(sha256: String(repeating: "a", count: 64))
    }
    try data.requireTokenizer(sha256: tok.fileSHA256)
  }
}
