// End-to-end runs of `rmprep tokenizer train|encode|decode`.

import Foundation
import Testing

@Suite struct TokenizerCommandTests {
  func fixturePath(_ name: String, filePath: String = #filePath) -> String {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
      .path
  }

  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bpe-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func helpGoesToStdout() throws {
    let r = try runTool("rmprep", ["tokenizer", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("OVERVIEW: Train, encode and decode"))
    #expect(r.stdout.contains("EXIT STATUS:"))
  }

  @Test func missingVocabSizeIsAUsageError() throws {
    let r = try runTool(
      "rmprep", ["tokenizer", "train", "--text", fixturePath("bpe/corpus.txt"), "-o", "/dev/null"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("--vocab-size"))
  }

  /// Bad input is counted like convert's and can fail the run; nothing is written then.
  @Test func trainCountsRejectsAndFailsOnBadOrEmptyInput() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    func file(_ name: String, _ text: String) throws -> String {
      let path = dir.appendingPathComponent(name).path
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      return path
    }
    let out = dir.appendingPathComponent("tok.json").path
    let twoBad = try file(
      "two-bad.jsonl", "{\"prompt\":\"a b\",\"chosen\":\"c\",\"rejected\":\"d\"}\nnot json\n{bad\n")
    let r = try runTool(
      "rmprep", ["tokenizer", "train", twoBad, "--format", "trl", "--vocab-size", "300", "-o", out])
    #expect(r.status == 1)
    #expect(
      r.stderr
        == "tokenizer train: in 3 = written 1 + dropped 0 + rejected 2 (invalid-json 2)\n"
        + "rmprep: error: reject rate 66.67% exceeds --max-reject-rate 1%; first: \(twoBad):2:1:"
        + " invalid JSON: invalid literal [invalid-json]; no output was written; run 'rmprep"
        + " convert' on the input with --rejects FILE to see them all\n")
    #expect(!FileManager.default.fileExists(atPath: out))
    let allowed = try runTool(
      "rmprep",
      [
        "tokenizer", "train", twoBad, "--format", "trl", "--vocab-size", "300",
        "--max-reject-rate", "0.9", "-o", out,
      ])
    #expect(allowed.status == 0)
    let allBad = try file("all-bad.jsonl", "not json\n")
    let none = try runTool(
      "rmprep",
      [
        "tokenizer", "train", allBad, "--format", "trl", "--vocab-size", "300",
        "--max-reject-rate", "1", "-o", out + "2",
      ])
    #expect(none.status == 1)
    #expect(
      none.stderr.hasSuffix(
        "rmprep: error: no text to train on in \(allBad) (no valid record; check --format, or use"
          + " --text for raw text)\n"))
    let empty = try file("empty.txt", "")
    let text = try runTool(
      "rmprep", ["tokenizer", "train", "--text", empty, "--vocab-size", "300", "-o", out + "3"])
    #expect(text.status == 1)
    #expect(text.stderr == "rmprep: error: no text to train on in \(empty)\n")
  }

  @Test func trainWarnsWhenTheVocabularyStopsShort() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("tok.json").path
    let r = try runTool(
      "rmprep",
      [
        "tokenizer", "train", "--text", fixturePath("bpe/corpus.txt"), "--vocab-size", "32768",
        "-o", out,
      ])
    #expect(r.status == 0)
    #expect(r.stderr.contains("tokenizer train: warning: the vocabulary reached "))
    #expect(
      r.stderr.hasSuffix(
        ", not --vocab-size 32768: the input has no more pairs to merge; give more text or a"
          + " smaller --vocab-size\n"))
  }

  /// Ctrl-C while training on records: "interrupted", status 130, no tokenizer written.
  @Test func ctrlCDuringTrainSaysInterrupted() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("tok.json").path
    let process = Process()
    process.executableURL = toolExecutable("rmprep")
    process.arguments = [
      "tokenizer", "train", "-", "--format", "trl", "--vocab-size", "300", "-o", out,
    ]
    let input = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardError = errors
    try process.run()
    var text = ""
    for n in 0..<10_000 {
      text +=
        #"{"prompt":"Question \#(n)?","chosen":" A good answer \#(n).","rejected":" No."}"# + "\n"
    }
    // 1 MB does not fit in the pipe: once written, the tool is reading records (handler installed).
    try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    process.interrupt()
    try input.fileHandleForWriting.close()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    #expect(String(decoding: stderr, as: UTF8.self) == "rmprep: interrupted\n")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func trainEncodeDecodeRoundTrip() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let json = dir.appendingPathComponent("tok.json").path
    let rank = dir.appendingPathComponent("tok.tiktoken").path
    let train = try runTool(
      "rmprep",
      [
        "tokenizer", "train", "--text", fixturePath("bpe/corpus.txt"), "--vocab-size", "300", "-o",
        json,
        "--tiktoken", rank, "--threads", "2",
      ])
    #expect(train.status == 0, "\(train.stderr)")
    #expect(train.stdout.isEmpty)
    #expect(train.stderr.contains("vocab 300"))
    // same bytes with one thread (K15)
    let json1 = dir.appendingPathComponent("tok1.json").path
    _ = try runTool(
      "rmprep",
      [
        "tokenizer", "train", "--text", fixturePath("bpe/corpus.txt"), "--vocab-size", "300", "-o",
        json1,
        "--threads", "1",
      ])
    #expect(
      FileManager.default.contents(atPath: json) == FileManager.default.contents(atPath: json1))
    let text = "Hello <|eos|> 🤗 world's end\n"
    let enc = try runTool(
      "rmprep", ["tokenizer", "encode", "--tokenizer", json, "-"], stdin: Data(text.utf8))
    #expect(enc.status == 0)
    let ids = enc.stdout.split(separator: " ").compactMap {
      Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    #expect(!ids.isEmpty && !ids.contains { $0 < 5 })  // K12: no special id from text
    let dec = try runTool(
      "rmprep", ["tokenizer", "decode", "--tokenizer", json, "--ids", enc.stdout])
    #expect(dec.stdout == text)
    let viaRanks = try runTool(
      "rmprep", ["tokenizer", "encode", "--tokenizer", rank, "--pattern", "gpt2", "-"],
      stdin: Data(text.utf8))
    #expect(viaRanks.stdout == enc.stdout)
  }

  @Test func decodeRejectsAnUnknownID() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let json = dir.appendingPathComponent("tok.json").path
    _ = try runTool(
      "rmprep",
      [
        "tokenizer", "train", "--text", fixturePath("bpe/corpus.txt"), "--vocab-size", "270", "-o",
        json,
      ])
    let r = try runTool("rmprep", ["tokenizer", "decode", "--tokenizer", json, "--ids", "1 99999"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("'99999' is not a token id below 270"))
  }
}
