// `rmtrain sample RUN_DIR --prompt TEXT`: generate from a run, for people who want to see what a
// model says. The prompt is laid out as in training, `[BOS] x [SEP_RESP]`; with `--response TEXT`
// a seq2seq reward model is asked for its correction, `[BOS] x [SEP_RESP] y [SEP_CORR]`. The text
// goes to stdout, one sample per line block.

import BPE
import CLISupport
import Foundation
import Training
import Transformer

let sampleHelp = """
  OVERVIEW: Generate text from a run directory (a policy, or a seq2seq reward model's correction).

  USAGE: rmtrain sample <run-dir> --prompt TEXT [--response TEXT] [options]

  ARGUMENTS:
    <run-dir>               A finished rmtrain run

  OPTIONS:
    --prompt TEXT           The prompt x (for HH-style data end it with "\\n\\nAssistant:")
    --response TEXT         seq2seq runs: a response y to correct (generation starts after SEP_CORR)
    --count <n>             Samples to draw (default: 1)
    --max-new-tokens <n>    Longest continuation (default: 64)
    --temperature <t>       0 = greedy (default: 0.8)
    --top-k <k>             0 = off (default: 0)
    --top-p <p>             Nucleus mass (default: 1.0)
    --seed <n>              Sampling seed (default: 1)
    -h, --help              Show help information.

  EXIT STATUS: 0 success, 1 failure, 64 usage error.

  """

/// Runs `rmtrain sample`.
func runSample(_ arguments: [String]) throws {
  let args = try Arguments(
    arguments,
    valued: [
      "prompt", "response", "count", "max-new-tokens", "temperature", "top-k", "top-p", "seed",
    ])
  if args.flag("help") {
    print(sampleHelp, terminator: "")
    return
  }
  guard args.positionals.count == 1 else { throw UsageError("expected one run directory") }
  let count: Int = try args.value("count", default: 1)
  let maxNewTokens: Int = try args.value("max-new-tokens", default: 64)
  let temperature: Float = try args.value("temperature", default: 0.8)
  let topK: Int = try args.value("top-k", default: 0)
  let topP: Float = try args.value("top-p", default: 1.0)
  guard count >= 1, maxNewTokens >= 1 else {
    throw UsageError("--count and --max-new-tokens must be >= 1")
  }
  guard temperature >= 0, topK >= 0, topP > 0 && topP <= 1 else {
    throw UsageError("--temperature and --top-k must be >= 0 and --top-p in (0, 1]")
  }
  let run = try LoadedRun.open(path: args.positionals[0])
  let tokenizer = try Tokenizer.load(path: run.directory.file(RunDirectory.tokenizerFileName))
  let ids = run.specials
  var prompt = [ids.bos] + tokenizer.encode(try args.required("prompt")) + [ids.sepResp]
  if let response = args.string("response") {
    guard run.kind == .seq2seq else { throw UsageError("--response needs a seq2seq run") }
    prompt += tokenizer.encode(response) + [ids.sepCorr]
  }
  let context = run.model.config.contextLength
  guard prompt.count < context else {
    throw UsageError("the prompt has \(prompt.count) tokens; the model's context is \(context)")
  }
  setThreadCount(1)
  let outputs = generate(
    model: run.model, prompts: Array(repeating: prompt.map { Int32($0) }, count: count),
    options: SamplingOptions(
      maxNewTokens: min(maxNewTokens, context - prompt.count), temperature: temperature,
      topK: topK, topP: topP,
      eosID: Int32(ids.eos), seed: try args.value("seed", default: 1)))
  let out = StandardOutput()
  for (i, sample) in outputs.enumerated() {
    let text = tokenizer.decode(sample.tokens.filter { $0 != Int32(ids.eos) }.map { UInt32($0) })
    if outputs.count > 1 { try out.write("--- sample \(i + 1)\n") }
    try out.write(text + "\n")
  }
  try out.flush()
}
