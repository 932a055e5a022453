// `rmprep synth`: writes the embedded synthetic alignment task (module EmbeddedTask) as an hh-rlhf
// corpus, so it flows through `rmprep convert --format hh-rlhf` like real data. Optional side files:
// the synthesis statistics (`--stats`) and the refusal lexicon (`--lexicon`) for `rmppo`.

import CLISupport
import Corpus
import EmbeddedTask

private let synthHelp = """
  OVERVIEW: Generate the embedded alignment task as a preference corpus (hh-rlhf JSONL).

  Questions with computed answers (arithmetic, a small fact table), harmless requests that sound
  harmful, and harmful requests. The pairs carry two spurious correlations (chosen answers are longer;
  refusals are preferred, also on some harmless prompts) that the gold judge of `rmppo eval --judge
  gold` does not reward. The same task, pair count and seed give byte-identical output.

  USAGE: rmprep synth [--task <name>] [--pairs <n>] [--seed <s>] -o <file> [--stats <file>]
                      [--lexicon <file>]

  OPTIONS:
    --task <name>       assistant, length, safety or unbiased (default: assistant)
                          assistant  \(TaskKind.assistant.summary)
                          length     \(TaskKind.length.summary)
                          safety     \(TaskKind.safety.summary)
                          unbiased   \(TaskKind.unbiased.summary)
    --pairs <n>         Number of preference pairs (default: 2000)
    --seed <s>          Random seed, an unsigned 64-bit integer (default: 1)
    -o, --out <file>    Output JSONL file, or - for stdout (required)
    --stats <file>      Also write the synthesis statistics as JSON
    --lexicon <file>    Also write the refusal lexicon (one phrase per line) for `rmppo`
    -h, --help          Show help information.

  EXIT STATUS: 0 success, 1 failure (I/O), 64 usage error.

  """

/// Runs `rmprep synth`.
func runSynth(_ arguments: [String]) throws {
  let args = try Arguments(
    arguments, valued: ["task", "pairs", "seed", "out", "stats", "lexicon"], boolean: [])
  if args.flag("help") {
    print(synthHelp, terminator: "")
    return
  }
  guard args.positionals.isEmpty else {
    throw UsageError("unexpected argument '\(args.positionals[0])'")
  }
  let taskName = try args.choice(
    "task", in: TaskKind.allCases.map(\.rawValue), default: TaskKind.assistant.rawValue)
  let task = TaskKind(rawValue: taskName)!
  let count: Int = try args.value("pairs", default: 2000)
  guard count >= 1 else { throw UsageError("invalid value '\(count)' for '--pairs': must be ≥ 1") }
  let seed: UInt64 = try args.value("seed", default: 1)
  let out = try args.required("out")

  var synthesizer = PairSynthesizer(task: task, seed: seed)
  let pairs = synthesizer.pairs(count: count)
  var bytes: [UInt8] = []
  for pair in pairs {
    JSONWriter.write(pair.hhRLHFRecord, into: &bytes)
    bytes.append(0x0A)
  }
  if out == "-" {
    let stdout = StandardOutput()
    try stdout.write(bytes)
    try stdout.flush()
  } else {
    try AtomicFile.write(bytes, to: out)
  }

  let judge = try GoldJudge(task: task.rawValue)
  let summary = SynthesisSummary(pairs: pairs, judge: judge)
  if let path = args.string("stats") {
    try AtomicFile.write(
      Array(JSONWriter.prettyString(summary.json(task: task, seed: seed)).utf8), to: path)
  }
  if let path = args.string("lexicon") {
    try AtomicFile.write(Array(judge.refusals.lexiconText.utf8), to: path)
  }
  var err = StandardError()
  err.write(
    "rmprep synth: \(summary.pairs) pairs (task \(task.rawValue), seed \(seed)) → "
      + "\(out == "-" ? "<stdout>" : out): chosen longer \(percent(summary.chosenLongerRate)), "
      + "words chosen \(fixed(summary.meanChosenWords)) vs rejected "
      + "\(fixed(summary.meanRejectedWords)), refusal chosen on harmless "
      + "\(percent(summary.refusalChosenOnHarmlessRate)) / harmful "
      + "\(percent(summary.refusalChosenOnHarmfulRate)), labels agree with the gold judge "
      + "\(percent(summary.judgeAgreementRate)), repeats \(summary.repeats)\n")
}

/// `0.4231` → `"42.3%"`.
private func percent(_ rate: Double) -> String {
  fixed(rate * 100) + "%"
}

/// One decimal, without Foundation: `10.257` → `"10.3"`.
private func fixed(_ value: Double) -> String {
  let tenths = Int((value * 10).rounded())
  let sign = tenths < 0 ? "-" : ""
  return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
}
