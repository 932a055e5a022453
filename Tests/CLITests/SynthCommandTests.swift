// End-to-end tests of `rmprep synth` through the built executable: help, determinism, the hh-rlhf
// record shape, the side files, and usage errors.

import Corpus
import Foundation
import Testing

@Suite struct SynthCommandTests {
  @Test func helpGoesToStdout() throws {
    let r = try runTool("rmprep", ["synth", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("OVERVIEW: "))
    #expect(r.stdout.contains("EXIT STATUS:"))
    #expect(r.stderr.isEmpty)
  }

  @Test func sameSeedGivesIdenticalBytesAndOtherSeedsDiffer() throws {
    let a = try runTool("rmprep", ["synth", "--pairs", "50", "--seed", "3", "-o", "-"])
    let b = try runTool("rmprep", ["synth", "--pairs", "50", "--seed", "3", "-o", "-"])
    let c = try runTool("rmprep", ["synth", "--pairs", "50", "--seed", "4", "-o", "-"])
    #expect(a.status == 0)
    #expect(a.stdout == b.stdout)
    #expect(a.stdout != c.stdout)
    #expect(a.stderr.hasPrefix("rmprep synth: 50 pairs (task assistant, seed 3) → <stdout>: "))
  }

  @Test func everyLineIsATwoKeyHHRLHFRecordSharingItsPrompt() throws {
    let r = try runTool("rmprep", ["synth", "--task", "safety", "--pairs", "20", "-o", "-"])
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == 20)
    for line in lines {
      let record = try JSONParser.parse(Array(line.utf8))
      guard case .object(let members) = record else {
        Issue.record("not an object: \(line)")
        continue
      }
      #expect(members.map(\.key) == ["chosen", "rejected"])
      let chosen = try #require(record["chosen"]?.stringValue)
      let rejected = try #require(record["rejected"]?.stringValue)
      #expect(chosen.hasPrefix("\n\nHuman: "))
      let prompt = try #require(chosen.firstRange(of: "\n\nAssistant:"))
      #expect(rejected.hasPrefix(chosen[..<prompt.upperBound]))
      #expect(chosen != rejected)
    }
  }

  @Test func writesFileStatsAndLexicon() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "synth-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("task.jsonl").path
    let stats = dir.appendingPathComponent("stats.json").path
    let lexicon = dir.appendingPathComponent("lexicon.txt").path
    let r = try runTool(
      "rmprep",
      ["synth", "--pairs", "30", "-o", out, "--stats", stats, "--lexicon", lexicon])
    #expect(r.status == 0)
    #expect(r.stdout.isEmpty)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(text.split(separator: "\n").count == 30)
    let summary = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: stats))))
    #expect(summary["pairs"]?.intValue == 30)
    #expect(summary["task"]?.stringValue == "assistant")
    let phrases = try String(contentsOfFile: lexicon, encoding: .utf8)
    #expect(phrases.contains("\ncannot assist\n"))
  }

  @Test(arguments: [
    (["synth", "--task", "chess", "-o", "-"], "invalid value 'chess' for '--task'"),
    (["synth", "--pairs", "0", "-o", "-"], "invalid value '0' for '--pairs'"),
    (["synth", "--pairs", "ten", "-o", "-"], "invalid value 'ten' for '--pairs'"),
    (["synth", "--pairs", "3"], "missing required option '--out'"),
  ])
  func badArgumentsAreUsageErrors(arguments: [String], message: String) throws {
    let r = try runTool("rmprep", arguments)
    #expect(r.status == 64)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.hasPrefix("rmprep: error: \(message)"))
  }
}
