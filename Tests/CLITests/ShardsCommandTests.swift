// End-to-end runs of `rmprep convert --targets`, `verify`, `inspect` (examples and --lengths) and
// `shards --from-stream` on Fixtures/shards/pairs.jsonl: help texts, the stream ≡ directory property
// through real pipes, a truncated stream rejected with no manifest, and verify's exit status on a
// damaged directory.

import Foundation
import Testing

/// Runs rmprep with binary stdin/stdout (through temp files, so no pipe can fill up).
private func rmprep(_ arguments: [String], stdin: Data = Data()) throws -> (
  status: Int32, stdout: Data, stderr: String
) {
  let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  var executable = bundle.appendingPathComponent("rmprep")
  if !FileManager.default.fileExists(atPath: executable.path) {
    executable = bundle.deletingLastPathComponent().appendingPathComponent("rmprep")
  }
  let base = FileManager.default.temporaryDirectory.appendingPathComponent(
    "rmprep-io-\(getpid())-\(UUID().uuidString.prefix(8))")
  let (inPath, outPath, errPath) = (base.path + ".in", base.path + ".out", base.path + ".err")
  try stdin.write(to: URL(fileURLWithPath: inPath))
  _ = FileManager.default.createFile(atPath: outPath, contents: nil)
  _ = FileManager.default.createFile(atPath: errPath, contents: nil)
  defer { for p in [inPath, outPath, errPath] { try? FileManager.default.removeItem(atPath: p) } }
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  process.standardInput = FileHandle(forReadingAtPath: inPath)
  process.standardOutput = FileHandle(forWritingAtPath: outPath)
  process.standardError = FileHandle(forWritingAtPath: errPath)
  try process.run()
  process.waitUntilExit()
  let out = try Data(contentsOf: URL(fileURLWithPath: outPath))
  let err = try Data(contentsOf: URL(fileURLWithPath: errPath))
  return (process.terminationStatus, out, String(decoding: err, as: UTF8.self))
}

private func fixture(_ name: String, filePath: String = #filePath) -> String {
  URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
    .path
}

@Suite(.serialized) struct ShardsCommandTests {
  let work: String = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "shards-cli-\(getpid())-\(UUID().uuidString.prefix(8))")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
  }()

  func tokenizer() throws -> String {
    let path = work + "/tok.json"
    let r = try rmprep([
      "tokenizer", "train", fixture("shards/pairs.jsonl"), "--vocab-size", "300", "-o", path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    return path
  }

  /// Converts the fixture into seq2seq shards at `directory` (no --max-len).
  func convertSeq2Seq(to directory: String) throws {
    let convert = try rmprep([
      "convert", fixture("shards/pairs.jsonl"), "--format", "trl", "--tokenizer", try tokenizer(),
      "--targets", "seq2seq", "-o", directory,
    ])
    #expect(convert.status == 0, "\(convert.stderr)")
  }

  @Test(arguments: [
    ["verify", "--help"], ["inspect", "--help"], ["shards", "--help"],
    ["convert", "--targets", "seq2seq", "--help"],
  ])
  func helpGoesToStdout(arguments: [String]) throws {
    let r = try rmprep(arguments)
    #expect(r.status == 0)
    #expect(String(decoding: r.stdout, as: UTF8.self).hasPrefix("OVERVIEW:"))
  }

  @Test func streamThroughAPipeEqualsTheDirectory() throws {
    let tok = try tokenizer()
    let input = fixture("shards/pairs.jsonl")
    let common = [
      input, "--format", "trl", "--tokenizer", tok, "--targets", "seq2seq", "--max-len", "40",
    ]
    let direct = try rmprep(["convert"] + common + ["-o", work + "/direct"])
    #expect(direct.status == 0, "\(direct.stderr)")
    #expect(direct.stderr.contains("targets: in 12"))
    let stream = try rmprep(["convert"] + common + ["-o", "-"])
    #expect(stream.status == 0)
    #expect(stream.stdout.prefix(8) == Data("RMSTREAM".utf8))
    let shards = try rmprep(
      ["shards", "--from-stream", "-", "-o", work + "/via", "--tokenizer", tok],
      stdin: stream.stdout)
    #expect(shards.status == 0, "\(shards.stderr)")
    for name in try FileManager.default.contentsOfDirectory(atPath: work + "/direct") {
      #expect(
        FileManager.default.contentsEqual(
          atPath: work + "/direct/" + name, andPath: work + "/via/" + name), "\(name)")
    }
    let verify = try rmprep(["verify", work + "/via"])
    #expect(verify.status == 0)
    let inspect = try rmprep(["inspect", work + "/via", "--limit", "1"])
    #expect(String(decoding: inspect.stdout, as: UTF8.self).contains("<|sep_corr|>⟦"))
    // A stream cut short: exit 1, a clear message, no manifest.
    let cut = try rmprep(
      ["shards", "--from-stream", "-", "-o", work + "/cut"], stdin: stream.stdout.dropLast(40))
    #expect(cut.status == 1)
    #expect(cut.stderr.contains("stream ended before its trailer"))
    #expect(!FileManager.default.fileExists(atPath: work + "/cut/manifest.json"))
    // A damaged directory: verify exits 1 and names the file.
    let bin = work + "/direct/train.bin"
    var bytes = try Data(contentsOf: URL(fileURLWithPath: bin))
    bytes[5] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: bin))
    let damaged = try rmprep(["verify", work + "/direct"])
    #expect(damaged.status == 1)
    #expect(damaged.stderr.contains("train.bin: checksum mismatch"))
  }

  /// `inspect --lengths`: token-length percentiles of prompts and responses before truncation (to
  /// choose --max-len) and of the stored sequences, pinned on the fixture.
  @Test func inspectLengthsPrintsPercentiles() throws {
    try convertSeq2Seq(to: work + "/lengths")
    let r = try rmprep(["inspect", work + "/lengths", "--lengths"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    #expect(lines.contains("  prompt: n 12, mean 18.3, p50 15, p90 32, p95 34, p99 34, max 34"))
    #expect(lines.contains("  chosen: n 12, mean 15.8, p50 14, p90 31, p95 43, p99 43, max 43"))
    #expect(lines.contains("  rejected: n 12, mean 9.8, p50 5, p90 11, p95 54, p99 54, max 54"))
    #expect(
      lines.contains("stored train sequences: n 22, p50 40, p90 98, p95 106, p99 106, max 106"))
  }

  /// rmtrain checks the sha256 of every shard file it reads before training: a changed byte in
  /// train.bin (which `rmprep verify` reports) is exit 1 naming the file, and no run is written.
  @Test func rmtrainRefusesShardsWithAWrongChecksum() throws {
    try convertSeq2Seq(to: work + "/damaged")
    let bin = work + "/damaged/train.bin"
    var bytes = try Data(contentsOf: URL(fileURLWithPath: bin))
    bytes[100] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: bin))
    let r = try runTool(
      "rmtrain", ["seq2seq", "--data", work + "/damaged", "--max-steps", "1", "-o", work + "/z1"])
    #expect(r.status == 1)
    #expect(r.stderr.contains("rmtrain: error: \(bin): checksum mismatch"), "\(r.stderr)")
    #expect(r.stderr.contains("re-run rmprep convert (rmprep verify DIR lists every problem)"))
    #expect(!FileManager.default.fileExists(atPath: work + "/z1/model.safetensors"))
  }

  @Test func badTargetsOptionIsAUsageError() throws {
    let r = try rmprep(["convert", "x.jsonl", "--targets", "nope", "--tokenizer", "t", "-o", "d"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("invalid value 'nope' for '--targets'"))
  }
}
