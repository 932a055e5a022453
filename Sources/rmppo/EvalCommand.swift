// `rmppo eval`: two policies answer the same validation prompts (same seed, same sampling), a
// judge scores every answer, and the comparison is written as JSON: win rate of A over B with a
// 95% Wilson interval (ties count half), and per policy the mean length, refusal rate and mean
// judge score. Judges: any reward-model run (`--judge RUN_DIR`) or the embedded task's
// programmatic judge (`--judge gold --task NAME`, GoldJudgeAdapter.swift).

import BPE
import CLISupport
import Corpus
import EmbeddedTask
import TokenShards
import Training
import Transformer

let evalHelp = """
  OVERVIEW: Compare two policies under a judge: win rate with a 95% interval, length, refusals.

  Both policies answer the same prompts with the same sampling seed. A prompt is a win for A
  when the judge scores A's answer higher, a loss when lower, and a tie (half a win) when equal.

  USAGE: rmppo eval --policy <run> --against <run> --prompts <shards> --judge <gold|rm-run> [options]

  OPTIONS:
    --policy <dir>            Policy A (rmtrain sft or rmppo train run)
    --against <dir>           Policy B
    --prompts <dir>           Prompt shards (rmprep convert --targets prompts)
    --judge <gold|dir>        'gold' (the embedded task's judge) or a reward-model run
    --task <name>             Task of the gold judge: assistant, length, safety, unbiased
                              (default: assistant)
    --split <val|train>       Prompt split (default: val)
    --max-prompts <n>         Judge at most n prompts, a seeded sample of the split (default: all)
    --max-new-tokens <n>      Longest answer, EOS included (default: 32)
    --temperature <t>         Sampling temperature; 0 is greedy (default: 1)
    --refusal-lexicon <file>  Refusal phrases, one a line (default: the embedded task's lexicon)
    --samples <file>          Also write every answer as JSONL {prompt, response, policy, score}
                              (input for rmppo score)
    --batch-size <n>          Prompts generated and judged together (default: 32)
    -o, --out <file>          JSON result; '-' is stdout (default: -)
    --seed <n>                Seed of the prompt sample and of sampling (default: 1)
    --threads <n>             Engine threads (default: 1)
    -h, --help                Show help information.

  EXIT STATUS: 0 success, 1 failure (mismatched runs, unreadable input), 64 usage error.

  """

/// Runs `rmppo eval`.
func runEval(_ arguments: [String]) throws {
  let args = try Arguments(
    arguments,
    valued: [
      "policy", "against", "prompts", "judge", "task", "split", "max-prompts", "max-new-tokens",
      "temperature", "refusal-lexicon", "samples", "batch-size", "out", "seed", "threads",
    ],
    boolean: [])
  if args.flag("help") {
    print(evalHelp, terminator: "")
    return
  }
  let maxNewTokens: Int = try args.value("max-new-tokens", default: 32)
  let temperature: Float = try args.value("temperature", default: 1)
  let batchSize: Int = try args.value("batch-size", default: 32)
  let seed: UInt64 = try args.value("seed", default: 1)
  let maxPrompts: Int = try args.value("max-prompts", default: Int.max)
  guard maxNewTokens >= 1, batchSize >= 1, maxPrompts >= 1 else {
    throw UsageError("--max-new-tokens, --batch-size and --max-prompts must be >= 1")
  }
  guard temperature >= 0 else { throw UsageError("--temperature must be >= 0") }
  let splitName = args.string("split") ?? "val"
  guard let split = Split(rawValue: splitName) else {
    throw UsageError("invalid value '\(splitName)' for '--split': expected val or train")
  }
  let judgeName = try args.required("judge")
  let task = try args.choice(
    "task", in: TaskKind.allCases.map(\.rawValue), default: TaskKind.allCases[0].rawValue)
  setThreadCount(try threadCount(args))
  var err = StandardError()
  // Outputs first (parents created, temp files opened): a bad path fails before any generation.
  let resultOutput = try CommandOutput(args.string("out") ?? "-")
  let samplesOutput = try args.string("samples").map(CommandOutput.init)

  // 1. Inputs and their agreement (tokenizer sha256, special ids) before any generation.
  let inputs = try CompatibleInputs(
    policyPath: try args.required("policy"),
    others: [("the policy", try args.required("against"), "against", PolicyRun.policyKinds)],
    promptsPath: try args.required("prompts"))
  let (policyA, policyB, promptData) = (inputs.policy, inputs.others[0], inputs.prompts)
  let specials = policyA.specials
  let refusals = try refusalLexicon(args) ?? .standard
  let decode = inputs.decode
  let judge: any ResponseJudge
  if judgeName == "gold" {
    judge = GoldJudgeAdapter(
      judge: try GoldJudge(task: task), decode: decode)
  } else {
    let run = try PolicyRun.open(path: judgeName)
    try policyA.requireCompatible(
      with: "the judge \(run.path)", tokenizerSHA256: run.tokenizerSHA256, specials: run.specials)
    judge = try rewardModelJudge(run, args: args, maxNewTokens: maxNewTokens)
  }
  let contextLength = min(policyA.model.config.contextLength, policyB.model.config.contextLength)
  guard contextLength > maxNewTokens + 2 else {
    throw UsageError(
      "--max-new-tokens \(maxNewTokens) leaves no room for a prompt in context \(contextLength)")
  }
  guard promptData.manifest.splits[split]?.documents ?? 0 > 0 else {
    throw TrainingError.noTrainingData(
      detail: "\(promptData.directory) has no \(split.rawValue) prompts; use --split "
        + (split == .val ? "train" : "val") + " or convert more records")
  }
  let all = try PromptSet(
    dataset: promptData, split: split, maxLength: contextLength - maxNewTokens, specials: specials)
  let count = min(maxPrompts, all.prompts.count)
  let prompts = all.batch(iteration: 0, size: count, seed: seed)

  // 2. Both policies answer, batch by batch; the judge scores each answer.
  let networks = [GPTNetwork(model: policyA.model), GPTNetwork(model: policyB.model)]
  var responses: [[[TokenID]]] = [[], []]
  var scores: [[Double]] = [[], []]
  for start in stride(from: 0, to: prompts.count, by: batchSize) {
    let chunk = Array(prompts[start..<min(start + batchSize, prompts.count)])
    for p in 0..<2 {
      let sampled = networks[p].sample(
        prompts: chunk, maxNewTokens: maxNewTokens, temperature: temperature, eos: specials.eos,
        seed: seed &+ UInt64(start))
      let answers = sampled.map(\.tokens)
      responses[p] += answers
      scores[p] += try judge.scores(prompts: chunk, responses: answers)
    }
    if Cancellation.isRequested { throw Interrupted() }
  }
  if let gold = judge as? GoldJudgeAdapter, gold.unparsedPrompts > 0 {
    err.write(
      "rmppo: warning: the gold judge (task \(gold.judge.task.rawValue)) did not recognise "
        + "\(gold.unparsedPrompts / 2) of \(prompts.count) prompts; they score as ties\n")
  }

  // 3. The comparison.
  let outcome = WinRate(scoresA: scores[0], scoresB: scores[1])
  let summaries = (0..<2).map { p in
    PolicySummary(
      lengths: responses[p].map(\.count),
      refusals: responses[p].map { refusals.isRefusal(decode($0)) },
      scores: scores[p])
  }
  let result = evalJSON(
    outcome: outcome, summaries: summaries, runs: [policyA, policyB], judge: judge.name,
    settings: [
      ("prompts_dir", .string(promptData.directory)), ("split", .string(split.rawValue)),
      ("max_new_tokens", .int(maxNewTokens)), ("temperature", .double(Double(temperature))),
      ("seed", .int(Int(truncatingIfNeeded: seed))),
    ])
  try resultOutput.write(JSONWriter.string(result) + "\n")
  if let samplesOutput {
    var lines = ""
    for (i, prompt) in prompts.enumerated() {
      for p in 0..<2 {
        lines +=
          JSONWriter.string(
            .object([
              (key: "prompt", value: .string(decode(prompt))),
              (key: "response", value: .string(decode(responses[p][i]))),
              (key: "policy", value: .string([policyA, policyB][p].path)),
              (key: "score", value: .double(scores[p][i])),
            ])) + "\n"
      }
    }
    try samplesOutput.write(lines)
    try samplesOutput.commit()
  }
  try resultOutput.commit()
  let (low, high) = outcome.confidenceInterval()
  err.write(
    "rmppo: \(policyA.path) vs \(policyB.path) under \(judge.name): win rate "
      + "\(formatNumber(outcome.rate)) [\(formatNumber(low)), \(formatNumber(high))] over "
      + "\(outcome.count) prompts (\(outcome.wins) wins, \(outcome.ties) ties, \(outcome.losses) losses)\n"
  )
}

/// A reward-model run as a judge: seq2seq runs sum their token scores (extraction flags of
/// `rmppo score` do not apply here: the run's own settings, else METHOD.md's defaults), scalar
/// runs give R(x, y) on the last token.
func rewardModelJudge(_ run: PolicyRun, args: Arguments, maxNewTokens: Int) throws
  -> RewardModelJudge
{
  let scorer: any TokenScorer
  switch run.kind {
  case "seq2seq":
    scorer = Seq2SeqTokenScorer(
      model: GPTNetwork(model: run.model), specials: run.specials,
      config: try extractionConfig(from: args, rewardRun: run.path))
  case "scalar":
    scorer = ScalarTokenScorer(
      model: GPTNetwork(model: run.model, computesLogits: false), pad: run.specials.pad,
      missingEOSPenalty: 0)
  default:
    throw TrainingError.incompatible(
      what: "kind of the judge run \(run.path)", expected: "seq2seq or scalar (or 'gold')",
      found: run.kind)
  }
  return RewardModelJudge(
    name: "rm:\(run.path) (\(run.kind))", scorer: scorer, maxResponseLength: maxNewTokens)
}

/// The JSON of `rmppo eval`. Key order matters to readers that take the first matching leaf
/// (`rmppo report`): win_rate and prompts first, then policy A's numbers before policy B's.
func evalJSON(
  outcome: WinRate, summaries: [PolicySummary], runs: [PolicyRun], judge: String,
  settings: [(String, JSONValue)]
) -> JSONValue {
  let (low, high) = outcome.confidenceInterval()
  let policies: [JSONValue] = zip(runs, summaries).map { run, summary in
    .object([
      (key: "path", value: .string(run.path)), (key: "kind", value: .string(run.kind)),
      (key: "mean_length", value: .double(summary.meanLength)),
      (key: "refusal_rate", value: .double(summary.refusalRate)),
      (key: "mean_score", value: .double(summary.meanScore)),
      (key: "model_sha256", value: .string(run.modelSHA256)),
    ])
  }
  return .object([
    (key: "win_rate", value: .double(outcome.rate)),
    (
      key: "ci",
      value: .object([(key: "low", value: .double(low)), (key: "high", value: .double(high))])
    ),
    (key: "prompts", value: .int(outcome.count)),
    (key: "wins", value: .int(outcome.wins)), (key: "ties", value: .int(outcome.ties)),
    (key: "losses", value: .int(outcome.losses)),
    (key: "judge", value: .string(judge)),
    (key: "policy", value: policies[0]), (key: "against", value: policies[1]),
    (key: "settings", value: .object(settings.map { (key: $0.0, value: $0.1) })),
  ])
}
