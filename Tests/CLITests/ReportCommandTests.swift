// End-to-end tests of `rmppo report` on the hand-written run directories in Fixtures/report/:
// exact table rows, the SVG curves, copied heat maps, and the experiment aggregate with its
// intervals (values checked against an independent Python computation of Wilson and Student t).

import Foundation
import Testing

// packageRoot() is FixtureWalkerTests.swift's (same module).

private func temporaryDirectory(_ name: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite struct ReportCommandTests {
  let fixtures = packageRoot().appendingPathComponent("Fixtures/report")

  @Test func helpGoesToStdout() throws {
    let r = try runTool("rmppo", ["report", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("OVERVIEW: "))
  }

  @Test func reportOfOneRunHasEveryTableCurveAndHeatMap() throws {
    let out = try temporaryDirectory("report")
    defer { try? FileManager.default.removeItem(at: out) }
    let dir = fixtures.appendingPathComponent("run-a").path
    let r = try runTool("rmppo", ["report", "--dir", dir, "-o", out.path])
    #expect(r.status == 0)
    #expect(r.stderr == "rmppo report: 7 files → \(out.path)/index.html\n")
    let markdown = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(markdown.contains("| records/dropped/identical-pair | 1 |"))
    #expect(markdown.contains("| rm-scalar | scalar | 0.500 | — | 0.875 | 0.420 | — | — | — |"))
    #expect(
      markdown.contains("| rm-seq2seq | seq2seq | 0.250 | 0.900 | — | — | 0.750 | 0.625 | 3.500 |"))
    #expect(
      markdown.contains(
        "| seq2seq vs scalar | 0.600 | [0.500, 0.700] | 10.500 / 14 | 0.200 / 0.400 | 0.500 / 0.250 | 100 |"
      ))
    for chart in ["ppo-reward.svg", "ppo-kl.svg", "ppo-length.svg", "ppo-refusal-rate.svg"] {
      let svg = try String(contentsOf: out.appendingPathComponent(chart), encoding: .utf8)
      #expect(svg.hasPrefix("<svg"))
      #expect(svg.contains("ppo-seq2seq") && svg.contains("ppo-scalar"))
      // objective/kl, not the PPO step's approx_kl (0.5) in the same lines.
      if chart == "ppo-kl.svg" { #expect(svg.contains(">0.030<")) }
    }
    let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html.contains("<iframe src=\"heatmaps-seq2seq.html\">"))
    #expect(
      FileManager.default.fileExists(
        atPath: out.appendingPathComponent("heatmaps-seq2seq.html").path))
  }

  @Test func aggregateGivesAcrossSeedAndPooledIntervalsAndVerdicts() throws {
    let out = try temporaryDirectory("experiment")
    defer { try? FileManager.default.removeItem(at: out) }
    let a = fixtures.appendingPathComponent("run-a").path
    let b = fixtures.appendingPathComponent("run-b").path
    let r = try runTool("rmppo", ["report", "--aggregate", a, b, "-o", out.path])
    #expect(r.status == 0)
    let markdown = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
    // Mean 0.7; t(1) = 12.706 over sd 0.1414/√2; Wilson for 140 of 200.
    #expect(
      markdown.contains(
        "| mean of 2 seeds | 0.700 | [-0.571, 1.971] across seeds; [0.633, 0.759] pooled | 10 | 15 | 0.150 | 0.300 | — | — |"
      ))
    #expect(markdown.contains("not settled: mean win rate 0.700, the interval covers 0.5"))
    #expect(markdown.contains("mean length seq2seq 10 vs scalar 15; seq2seq lower in 2 of 2 seeds"))
  }

  @Test func aggregateOfOneSeedLeavesTheWinRateClaimOpen() throws {
    let out = try temporaryDirectory("experiment-one")
    defer { try? FileManager.default.removeItem(at: out) }
    let a = fixtures.appendingPathComponent("run-a").path
    let r = try runTool("rmppo", ["report", "--aggregate", a, "-o", out.path])
    #expect(r.status == 0)
    let markdown = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
    // No Student t for one value; Wilson for 60 of 100.
    #expect(markdown.contains("| 0.600 | [—, —] across seeds; [0.502, 0.691] pooled |"))
    #expect(
      markdown.contains(
        "not settled: one seed (win rate 0.600); an interval across seeds needs at least two"))
    #expect(!markdown.contains("the interval covers 0.5"))
  }

  @Test func missingDirectoryIsAUsageError() throws {
    let r = try runTool("rmppo", ["report", "--dir", "/nonexistent/run", "-o", "/tmp/x"])
    #expect(r.status == 64)
    #expect(r.stderr.hasPrefix("rmppo: error: '/nonexistent/run' is not a directory"))
  }

  @Test func directoryWithoutPipelineOutputsIsAUsageError() throws {
    let unrelated = try temporaryDirectory("unrelated")
    defer { try? FileManager.default.removeItem(at: unrelated) }
    try Data("x".utf8).write(to: unrelated.appendingPathComponent("notes.txt"))
    let out = unrelated.appendingPathComponent("report").path
    let r = try runTool("rmppo", ["report", "--dir", unrelated.path, "-o", out])
    #expect(r.status == 64)
    #expect(r.stderr.hasPrefix("rmppo: error: '\(unrelated.path)' holds no pipeline outputs"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}
