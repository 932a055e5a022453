// `rmtrain sft|seq2seq|scalar`: parse flags into a RewardTrainingConfig, open the data (a shard
// directory, or the rmprep stream on stdin buffered to a temporary shard directory), build or load
// the model, and run Training.TrainingRun with Ctrl-C wired to its shouldStop. Diagnostics and the
// progress line go to stderr; nothing is written to stdout.

import BPE
import CLISupport
import Corpus
import Foundation
import TokenShards
import Training
import Transformer

/// Runs `rmtrain sft`.
func runSFT(_ arguments: [String]) throws { try runTraining(.sft, arguments) }
/// Runs `rmtrain seq2seq`.
func runSeq2Seq(_ arguments: [String]) throws { try runTraining(.seq2seq, arguments) }
/// Runs `rmtrain scalar`.
func runScalar(_ arguments: [String]) throws { try runTraining(.scalar, arguments) }

/// The data of a run, opened and checked.
struct OpenedData {
  let dataset: ShardDataset
  let tokenizerBytes: [UInt8]
  let tokenizerSHA256: String
  let specials: SpecialTokenIDs
  let lineage: JSONValue
}

/// Opens `--data` (directory or `-`), with the tokenizer checks of issue 7.
func openData(path: String, tokenizerPath: String?, temporaryDirectory: inout String?) throws
  -> OpenedData
{
  let dataset: ShardDataset
  var tokenizerBytes: [UInt8]
  if path == "-" {
    guard let tokenizerPath else {
      throw UsageError(
        "--data - needs --tokenizer FILE: the tokenizer.json the stream was made with (the run "
          + "checks it against the one the stream embeds)")
    }
    tokenizerBytes = try Array(Data(contentsOf: URL(fileURLWithPath: tokenizerPath)))
    let tmp = NSTemporaryDirectory() + "rmtrain-stream-\(getpid())"
    temporaryDirectory = tmp
    dataset = try readStream(
      from: 0, expectedTokenizerSHA256: SHA256.hash(tokenizerBytes).hex, into: tmp)
  } else {
    dataset = try ShardDataset.openVerified(directory: path)
    tokenizerBytes = try Array(Data(contentsOf: URL(fileURLWithPath: dataset.tokenizerPath)))
    if let tokenizerPath {
      let given = try Array(Data(contentsOf: URL(fileURLWithPath: tokenizerPath)))
      try dataset.requireTokenizer(sha256: SHA256.hash(given).hex)
    }
  }
  let sha = SHA256.hash(tokenizerBytes).hex
  let specials = TrainingData.specialTokenIDs(of: dataset)
  let lineage: JSONValue = .object([
    (key: "path", value: .string(path == "-" ? "<stdin>" : path)),
    (key: "manifest_sha256", value: .string(try TrainingData.manifestSHA256(of: dataset))),
    (key: "target_kind", value: .string(dataset.manifest.targetKind.rawValue)),
  ])
  return OpenedData(
    dataset: dataset, tokenizerBytes: tokenizerBytes, tokenizerSHA256: sha, specials: specials,
    lineage: lineage)
}

/// Every config key as a flag name (`learning_rate` → `learning-rate`).
let configFlags = RewardTrainingConfig.keys.filter { $0 != "objective" }.map {
  String($0.map { $0 == "_" ? "-" : $0 })
}

func runTraining(_ objective: TrainingObjective, _ arguments: [String]) throws {
  let args = try Arguments(
    arguments, valued: Set(["data", "tokenizer", "init", "config", "out"] + configFlags),
    boolean: ["resume", "overwrite", "progress"])
  if args.flag("help") {
    print(trainHelp(objective), terminator: "")
    return
  }
  guard args.positionals.isEmpty else {
    throw UsageError("unexpected argument '\(args.positionals[0])'")
  }
  let outPath = try args.required("out")
  let dataPath = try args.required("data")
  var err = StandardError()
  if args.flag("resume") && args.flag("overwrite") {
    throw UsageError("give --resume or --overwrite, not both")
  }
  if !args.flag("resume") && !args.flag("overwrite"),
    let step = RunDirectory(path: outPath).interruptedStep()
  {
    throw TrainingError.interruptedRunExists(path: outPath, progress: "step \(step)")
  }

  // 1. Settings: defaults ← --config file ← flags (or the checkpoint's, on --resume).
  var config = RewardTrainingConfig(objective: objective)
  let givenFlags = configFlags.filter { args.string($0) != nil }
  if args.flag("resume") {
    if let flag = givenFlags.first ?? (args.string("config") != nil ? "config" : nil)
      ?? (args.string("init") != nil ? "init" : nil)
    {
      throw UsageError("--resume continues with the run's saved settings; drop --\(flag)")
    }
  } else {
    if let configPath = args.string("config") {
      let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: configPath)))
      var json = try JSONParser.parse(bytes, path: configPath)
      if case .object(let members) = json {
        json = .object(members.filter { $0.key != "objective" })
      }
      try config.apply(json: json, source: configPath)
    }
    for flag in givenFlags {
      let text = args.string(flag)!
      let key = String(flag.map { $0 == "-" ? "_" : $0 })
      do { try config.apply(key: key, text: text) } catch is TrainingError {
        let expected = RewardTrainingConfig.expectedValue(forKey: key) ?? "a valid value"
        throw UsageError("invalid value '\(text)' for '--\(flag)': expected \(expected)")
      }
    }
    do { try config.validate() } catch TrainingError.invalidConfig(_, let key, let detail) {
      let flag = key.replacingOccurrences(of: "_", with: "-")
      guard let text = args.string(flag) else {
        throw TrainingError.invalidConfig(
          source: args.string("config") ?? "config", key: key, detail: detail)
      }
      throw UsageError("invalid value '\(text)' for '--\(flag)': \(detail)")
    }
  }

  // 2. Data.
  var temporary: String?
  defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
  let data = try openData(
    path: dataPath, tokenizerPath: args.string("tokenizer"), temporaryDirectory: &temporary)
  let train = try TrainingData.load(dataset: data.dataset, split: .train, objective: objective)
  let validation = try TrainingData.load(dataset: data.dataset, split: .val, objective: objective)

  // 3. Model and optimizer: resumed, initialised from a run, or fresh.
  let directory = RunDirectory(path: outPath)
  var startStep = 0
  var initLineage: JSONValue = .null
  let model: GPTModel
  if args.flag("resume") {
    let (loaded, state) = try directory.loadCheckpoint()
    guard state.config.objective == objective else {
      throw TrainingError.incompatible(
        what: "objective of \(outPath)", expected: objective.rawValue,
        found: state.config.objective.rawValue)
    }
    config = state.config
    model = loaded
    startStep = state.step
    initLineage =
      (try? directory.readJSON(GPTModel.configFileName))?["seq2seqrm"]?["lineage"]?[
        "init"] ?? .null
  } else if let initPath = args.string("init") {
    if PretrainedCheckpoint.isPretrained(path: initPath) {
      // A transformers GPT-2 checkpoint: embeddings grown for the data's special tokens.
      let pretrained = try PretrainedCheckpoint.open(
        path: initPath, vocabularySize: data.dataset.manifest.vocabularySize)
      model = pretrained.model
      initLineage = pretrained.lineageJSON
      err.write(
        "rmtrain: starting from the GPT-2 checkpoint \(initPath); \(pretrained.addedTokens) "
          + "token rows added (mean of the existing rows)\n")
    } else {
      let initRun = try LoadedRun.open(path: initPath)
      try initRun.requireCompatible(tokenizerSHA256: data.tokenizerSHA256, specials: data.specials)
      model = initRun.model
      initLineage = initRun.lineageJSON
    }
    if objective == .scalar {
      model.addValueHead(seed: config.seed)
    } else if model.config.hasValueHead {
      model.removeValueHead()
    }
  } else {
    let longest = max(train.longestSequence, validation.longestSequence)
    let context = config.contextLength > 0 ? config.contextLength : max(longest, 8)
    config.contextLength = context
    model = GPTModel(
      config: ModelConfig(
        vocabularySize: data.dataset.manifest.vocabularySize, contextLength: context,
        layerCount: config.layers, headCount: config.heads, channelCount: config.width,
        hasValueHead: objective == .scalar), seed: config.seed)
  }
  if !args.flag("resume") {
    config.contextLength = model.config.contextLength
    config.layers = model.config.layerCount
    config.heads = model.config.headCount
    config.width = model.config.channelCount
  }
  for split in [train, validation] {
    for example in split.examples + split.pairs.flatMap({ [$0.chosen, $0.rejected] })
    where example.tokens.count > model.config.contextLength {
      throw TrainingError.sequenceTooLong(
        document: example.documentIndex, length: example.tokens.count,
        contextLength: model.config.contextLength)
    }
  }
  setThreadCount(config.threads)
  let optimizer = AdamW(
    model: model, learningRate: Float(config.learningRate),
    betas: (Float(config.beta1), Float(config.beta2)), epsilon: Float(config.epsilon),
    weightDecay: Float(config.weightDecay))
  if args.flag("resume") { try directory.restoreOptimizer(optimizer) }

  // 4. The run directory and the loop.
  try directory.create()
  try directory.write(data.tokenizerBytes, to: RunDirectory.tokenizerFileName)
  let trainer = try RewardTrainer(
    config: config, model: model, optimizer: optimizer, data: train, specials: data.specials,
    startStep: startStep)
  let evaluator = Evaluator(
    objective: objective, specials: data.specials, batchSize: config.batchSize,
    limit: config.evalLimit, magnitudeCoefficient: config.magnitudeCoefficient,
    rewardConfig: TokenRewardConfig(
      variant: ExtractionVariant(rawValue: config.extractionVariant) ?? .a,
      positiveReward: Float(config.rewardPositive), negativeReward: Float(config.rewardNegative)))
  var previousMetrics: [JSONValue] = []
  var previousEvaluations: [JSONValue] = []
  if args.flag("resume") {
    previousMetrics = readMetricLines(directory.file(RunDirectory.metricsFileName))
    previousEvaluations =
      (try? directory.readJSON(RunDirectory.evalFileName))?["history"]?.arrayValue ?? []
  }
  let lineage: JSONValue = .object([
    (key: "data", value: data.lineage),
    (key: "tokenizer_sha256", value: .string(data.tokenizerSHA256)),
    (key: "init", value: initLineage),
  ])
  let run = TrainingRun(
    directory: directory, trainer: trainer, evaluator: evaluator, validation: validation,
    lineage: lineage, tokenizerSHA256: data.tokenizerSHA256, previousMetrics: previousMetrics,
    previousEvaluations: previousEvaluations)
  err.write(
    "rmtrain \(objective.rawValue): \(train.unitCount) training and \(validation.unitCount) validation "
      + "\(objective == .scalar ? "pairs" : "sequences"), \(model.parameterCount) parameters, "
      + "\(trainer.totalSteps) steps\(startStep > 0 ? " (resuming after step \(startStep))" : "")\n"
  )
  let reporter = StepReporter(
    total: trainer.totalSteps, logEvery: config.logEvery, objective: objective,
    progress: Progress(enabled: Progress.shouldShow(forced: args.flag("progress"))))
  let completed = try run.run(
    shouldStop: { Cancellation.isRequested }, onStep: reporter.step,
    onEvaluation: reporter.evaluation)
  reporter.finish()
  guard completed else {
    throw Interrupted(detail: " after step \(trainer.step); continue with --resume -o \(outPath)")
  }
  err.write("rmtrain \(objective.rawValue): done, \(trainer.step) steps; wrote \(outPath)\n")
}

/// Lines of an existing metrics.jsonl (empty when missing).
func readMetricLines(_ path: String) -> [JSONValue] {
  guard let data = FileManager.default.contents(atPath: path) else { return [] }
  return Array(data).split(separator: 0x0A).compactMap { try? JSONParser.parse(Array($0)) }
}
