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
