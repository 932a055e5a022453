// `rmtrain eval RUN_DIR --data DIR`: evaluates any finished run on any compatible data (same
// tokenizer and special ids; the data kind its objective reads) and prints the metrics as JSON on
// stdout — the same object as eval.json's "final".

import BPE
import CLISupport
import Corpus
import Foundation
import TokenShards
import Training
import Transformer

let evalHelp = """
  OVERVIEW: Evaluate a run directory on compatible data; print the metrics as JSON on stdout.

  USAGE: rmtrain eval <run-dir> --data DIR [--split val|train] [--limit N] [--batch-size N]

  ARGUMENTS:
    <run-dir>               A finished rmtrain run (sft, seq2seq or scalar)

  OPTIONS:
    --data DIR              Shard directory of the kind the run reads (sft, seq2seq, pairs)
    --split <name>          val or train (default: val)
    --limit <n>             Evaluate at most n documents; 0 = all (default: 0)
    --batch-size <n>        Rows per forward pass (default: the run's batch size)
    --threads <n>           Engine threads (default: 1)
    --scores FILE           scalar runs: also write one JSON line per pair with its token ids and
                            both rewards (for checks against transformers)
    -h, --help              Show help information.

  EXIT STATUS: 0 success, 1 failure (incompatible data, unreadable run), 64 usage error.

  """

/// Runs `rmtrain eval`.
func runEval(_ arguments: [String]) throws {
  let args = try Arguments(
    arguments, valued: ["data", "split", "limit", "batch-size", "threads", "scores"])
  if args.flag("help") {
    print(evalHelp, terminator: "")
    return
  }
  guard args.positionals.count == 1 else { throw UsageError("expected one run directory") }
  let threads: Int = try args.value("threads", default: 1)
  let batchSize: Int? = try args.optionalValue("batch-size")
  let limit: Int = try args.value("limit", default: 0)
  guard threads >= 1, (batchSize ?? 1) >= 1, limit >= 0 else {
    throw UsageError("--threads and --batch-size must be >= 1, --limit >= 0 (0 = all)")
  }
  let run = try LoadedRun.open(path: args.positionals[0])
  let dataset = try ShardDataset.openVerified(directory: try args.required("data"))
  try run.requireCompatible(
    tokenizerSHA256: dataset.manifest.tokenizerSHA256,
    specials: TrainingData.specialTokenIDs(of: dataset))
  let split: Split =
    try args.choice("split", in: ["val", "train"], default: "val") == "val" ? .val : .train
  setThreadCount(threads)
  let data = try TrainingData.load(dataset: dataset, split: split, objective: run.kind)
  let config = run.config
  let evaluator = Evaluator(
    objective: run.kind, specials: run.specials,
    batchSize: batchSize ?? config.batchSize,
    limit: limit, magnitudeCoefficient: config.magnitudeCoefficient,
    rewardConfig: TokenRewardConfig(
      variant: ExtractionVariant(rawValue: config.extractionVariant) ?? .a,
      positiveReward: Float(config.rewardPositive), negativeReward: Float(config.rewardNegative)))
  let result = try evaluator.evaluate(model: run.model, data: data, step: 0)
  if let scoresPath = args.string("scores") {
    guard run.kind == .scalar else { throw UsageError("--scores needs a scalar run") }
    try writePairScores(evaluator: evaluator, model: run.model, data: data, to: scoresPath)
  }
  var members = result.jsonValue.objectValue ?? []
  members.removeFirst()  // "step" is meaningless here
  members.insert((key: "run", value: .string(run.directory.path)), at: 0)
  members.insert((key: "kind", value: .string(run.kind.rawValue)), at: 1)
  members.append((key: "data", value: data.summaryJSON))
  let out = StandardOutput()
  try out.write(JSONWriter.prettyString(.object(members)) + "\n")
  try out.flush()
}

/// One JSON line per evaluated pair: token ids and rewards of both responses.
func writePairScores(evaluator: Evaluator, model: GPTModel, data: TrainingData, to path: String)
  throws
{
  let (chosen, rejected, _) = evaluator.scalarPairScores(model: model, data: data)
  var bytes: [UInt8] = []
  for (i, pair) in data.pairs.prefix(chosen.count).enumerated() {
    let line: JSONValue = .object([
      (key: "chosen_tokens", value: .array(pair.chosen.tokens.map { .int($0) })),
      (key: "rejected_tokens", value: .array(pair.rejected.tokens.map { .int($0) })),
      (key: "chosen", value: .double(Double(chosen[i].description)!)),
      (key: "rejected", value: .double(Double(rejected[i].description)!)),
    ])
    JSONWriter.write(line, into: &bytes)
    bytes.append(0x0A)
  }
  try AtomicFile.write(bytes, to: path)
}
