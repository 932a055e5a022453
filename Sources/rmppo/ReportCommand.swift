// `rmppo report`: the report of a pipeline run directory (scripts/demo.sh layout) as index.html and
// README.md with SVG curves, or, with --aggregate, the experiment table over several runs (seeds).
// The numbers come from the files the stages wrote; missing files leave their section out.

import CLISupport
import Foundation

private let reportHelp = """
  OVERVIEW: Assemble the report of a pipeline run (HTML and Markdown, SVG curves).

  Reads DIR/data/{synth-stats,convert-stats}.json, DIR/runs/*/{eval.json,metrics.jsonl,loss.svg},
  DIR/eval/*.json (rmppo eval) and DIR/heatmaps/*.html (rmppo score): the accounting table,
  reward-model metrics, PPO curves of every run, the win-rate table with confidence intervals, and
  the token-reward heat maps. With --aggregate, reads several such directories (one per seed) and
  writes the experiment table: win rate of the seq2seq arm against the scalar arm with 95%
  intervals, length and refusal rate per arm, and each paper claim marked reproduced or not.

  USAGE: rmppo report --dir <dir> -o <report-dir> [--title <text>]
         rmppo report --aggregate <dir> [<dir> ...] -o <report-dir>

  OPTIONS:
    --dir <dir>           Pipeline output directory (as written by scripts/demo.sh)
    --aggregate           Treat the arguments as run directories of one experiment
    -o, --out <dir>       Report directory, created if needed (required)
    --title <text>        Page title (default: Seq2SeqRM report)
    -h, --help            Show help information.

  EXIT STATUS: 0 success, 1 failure (I/O), 64 usage error.

  """

/// Runs `rmppo report`.
func runReport(_ arguments: [String]) throws {
  let args = try Arguments(arguments, valued: ["dir", "out", "title"], boolean: ["aggregate"])
  if args.flag("help") {
    print(reportHelp, terminator: "")
    return
  }
  let out = try args.required("out")
  var err = StandardError()
  if args.flag("aggregate") {
    guard !args.positionals.isEmpty else {
      throw UsageError("--aggregate needs at least one run directory")
    }
    let summary = ExperimentSummary(directories: args.positionals)
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    try Data(summary.markdown().utf8).write(
      to: URL(fileURLWithPath: "\(out)/README.md"), options: .atomic)
    try Data(summary.html().utf8).write(
      to: URL(fileURLWithPath: "\(out)/index.html"), options: .atomic)
    err.write("rmppo report: experiment over \(summary.seeds.count) runs → \(out)/index.html\n")
    return
  }
  guard args.positionals.isEmpty else {
    throw UsageError("unexpected argument '\(args.positionals[0])'")
  }
  let directory = try args.required("dir")
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
    isDirectory.boolValue
  else {
    throw UsageError("'\(directory)' is not a directory")
  }
  let inputs = ReportInputs(directory: directory)
  guard !inputs.isEmpty else {
    throw UsageError(
      "'\(directory)' holds no pipeline outputs (data/*-stats.json, runs/*, eval/*.json, "
        + "heatmaps/*.html): give the directory make demo or scripts/demo.sh wrote (DEMO_OUT)")
  }
  let page = ReportPage(inputs: inputs, title: args.string("title") ?? "Seq2SeqRM report")
  let written = try page.write(to: out)
  err.write("rmppo report: \(written.count) files → \(out)/index.html\n")
  for problem in inputs.problems { err.write("rmppo report: warning: \(problem)\n") }
}
