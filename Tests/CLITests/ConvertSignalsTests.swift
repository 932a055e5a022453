// `rmprep convert` and signals (DESIGN.md "Signals and disks"): a reader that closes the pipe early
// ends the run quietly with status 0, and Ctrl-C (SIGINT) stops it with status 130 and leaves no
// output file, not even the temp file — also when started with SIGINT blocked, as `Process`
// starts it.

import Foundation
import Testing

/// `count` TRL records, each about 100 bytes, every one distinct.
private func trlRecords(_ count: Int) -> Data {
  var text = ""
  for n in 0..<count {
    text +=
      #"{"prompt":"Question \#(n)?","chosen":" A good answer \#(n).","rejected":" No."}"# + "\n"
  }
  return Data(text.utf8)
}

@Suite struct ConvertSignalsTests {
  @Test func aClosedOutputPipeEndsQuietlyWithStatusZero() throws {
    let directory = try temporaryDirectory()
    // 4 MB: far more than a pipe holds: the tool meets the closed pipe with records left to write.
    let input = directory.appendingPathComponent("in.jsonl")
    try trlRecords(40_000).write(to: input)
    let process = Process()
    process.executableURL = toolExecutable("rmprep")
    process.arguments = ["convert", input.path, "--format", "trl", "-o", "-"]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let head = try output.fileHandleForReading.read(upToCount: 4096) ?? Data()
    try output.fileHandleForReading.close()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(head.count == 4096)
    #expect(process.terminationReason == .exit)
    #expect(process.terminationStatus == 0)
    #expect(String(decoding: stderr, as: UTF8.self) == "")
  }

  /// `idle`: signal once the tool has read everything sent and waits for more input (then closing
  /// the input must not commit the output); otherwise while it still has records to convert.
  @Test(arguments: [false, true])
  func ctrlCStopsWithStatus130AndLeavesNoOutput(idle: Bool) throws {
    let directory = try temporaryDirectory()
    let process = Process()
    process.executableURL = toolExecutable("rmprep")
    process.arguments = [
      "convert", "-", "--format", "trl", "-o", directory.appendingPathComponent("out.jsonl").path,
    ]
    let input = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardError = errors
    try process.run()
    // 1 MB does not fit in the pipe, so once this write returns the tool has been reading records
    // for a while: its SIGINT handler is installed.
    try input.fileHandleForWriting.write(contentsOf: trlRecords(10_000))
    if idle { Thread.sleep(forTimeInterval: 1) }  // the last 64 KiB take milliseconds
    process.interrupt()
    try input.fileHandleForWriting.close()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationReason == .exit)
    #expect(process.terminationStatus == 130)
    #expect(String(decoding: stderr, as: UTF8.self) == "rmprep: interrupted\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
  }

  /// Ctrl-C while re-running `convert --targets` into an existing shard directory leaves that
  /// directory exactly as it was (it still verifies) and no temp sibling behind.
  @Test func ctrlCKeepsThePreviousShardDirectory() throws {
    let directory = try temporaryDirectory()
    let corpus = directory.appendingPathComponent("small.jsonl")
    try trlRecords(200).write(to: corpus)
    let tokenizer = directory.appendingPathComponent("tok.json").path
    let shards = directory.appendingPathComponent("shards").path
    #expect(
      try runTool(
        "rmprep", ["tokenizer", "train", corpus.path, "--vocab-size", "300", "-o", tokenizer]
      ).status == 0)
    let convert = ["convert", "--format", "trl", "--tokenizer", tokenizer, "--targets", "sft"]
    #expect(try runTool("rmprep", convert + [corpus.path, "-o", shards]).status == 0)
    let manifest = try Data(contentsOf: URL(fileURLWithPath: shards + "/manifest.json"))
    let files = try FileManager.default.contentsOfDirectory(atPath: shards).sorted()

    let process = Process()
    process.executableURL = toolExecutable("rmprep")
    process.arguments = convert + ["-", "-o", shards]
    let input = Pipe()
    process.standardInput = input
    process.standardError = FileHandle.nullDevice
    try process.run()
    try input.fileHandleForWriting.write(contentsOf: trlRecords(10_000))
    process.interrupt()
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    #expect(try Data(contentsOf: URL(fileURLWithPath: shards + "/manifest.json")) == manifest)
    #expect(try FileManager.default.contentsOfDirectory(atPath: shards).sorted() == files)
    #expect(try runTool("rmprep", ["verify", shards]).status == 0)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        == ["shards", "small.jsonl", "tok.json"])
  }
}
