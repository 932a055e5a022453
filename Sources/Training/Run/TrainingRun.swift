// TrainingRun: drives a RewardTrainer to the end and keeps the run directory up to date. The loop
// is a straight line: stop request → checkpoint and return; step; evaluate every N; checkpoint
// every N; at the end evaluate, export the model and write every report. The library never prints:
// the caller gets each step and evaluation through closures and asks to stop through `shouldStop`
// (the executable wires it to Ctrl-C).

import BPE
import Corpus
import Transformer

/// One training run writing into its run directory.
public final class TrainingRun {
  /// Where everything is written.
  public let directory: RunDirectory
  /// The optimizer loop.
  public let trainer: RewardTrainer
  /// Validation metrics.
  public let evaluator: Evaluator
  /// Validation split.
  public let validation: TrainingData
  /// Lineage and provenance recorded in config.json ("seq2seqrm" → "lineage").
  public let lineage: JSONValue
  /// sha256 of the tokenizer.json the data was made with.
  public let tokenizerSHA256: String
  /// metrics.jsonl lines so far (kept from the interrupted run on resume).
  public private(set) var metricLines: [JSONValue]
  /// Evaluations so far.
  public private(set) var evaluations: [JSONValue]
  /// The final evaluation, once the run completed.
  public private(set) var finalEvaluation: EvaluationResult?

  /// Prepares a run; `previousMetrics` and `previousEvaluations` come from the run directory when
  /// resuming (entries after the checkpoint's step are discarded).
  public init(
    directory: RunDirectory, trainer: RewardTrainer, evaluator: Evaluator, validation: TrainingData,
    lineage: JSONValue, tokenizerSHA256: String, previousMetrics: [JSONValue] = [],
    previousEvaluations: [JSONValue] = []
  ) {
    self.directory = directory
    self.trainer = trainer
    self.evaluator = evaluator
    self.validation = validation
    self.lineage = lineage
    self.tokenizerSHA256 = tokenizerSHA256
    let done = trainer.step
    metricLines = previousMetrics.filter { ($0["step"]?.intValue ?? .max) <= done }
    evaluations = previousEvaluations.filter { ($0["step"]?.intValue ?? .max) <= done }
  }

  /// Trains until the last step or until `shouldStop()` returns true (checked before every step).
  /// - Returns: true when the run completed, false when it stopped early (a checkpoint was written).
  /// - Throws: `TrainingError` (e.g. `.nonFiniteLoss`), checkpoint and I/O errors.
  public func run(
    shouldStop: () -> Bool, onStep: (TrainingStepRecord) -> Void,
    onEvaluation: (EvaluationResult) -> Void
  ) throws -> Bool {
    let config = trainer.config
    while !trainer.isFinished {
      // 1. Ctrl-C: save where we are, so --resume continues from here.
      if shouldStop() {
        try checkpoint()
        return false
      }
      // 2. One optimizer step.
      let record = try trainer.trainStep()
      metricLines.append(record.jsonValue)
      onStep(record)
      // 3. Periodic evaluation and checkpoint.
      if config.evalEvery > 0 && record.step % config.evalEvery == 0 && !trainer.isFinished {
        onEvaluation(try evaluate())
      }
      if config.checkpointEvery > 0 && record.step % config.checkpointEvery == 0
        && !trainer.isFinished
      {
        try checkpoint()
      }
    }
    // 4. Final evaluation, export and reports.
    let final = try evaluate()
    finalEvaluation = final
    onEvaluation(final)
    try exportModel()
    try checkpoint()
    return true
  }

  /// Evaluates on the validation split and records the result.
  func evaluate() throws -> EvaluationResult {
    let result = try evaluator.evaluate(model: trainer.model, data: validation, step: trainer.step)
    evaluations.append(result.jsonValue)
    return result
  }

  /// Writes the checkpoint and the reports that describe it.
  public func checkpoint() throws {
    try directory.saveCheckpoint(
      model: trainer.model, optimizer: trainer.optimizer,
      state: TrainerState(step: trainer.step, config: trainer.config))
    try writeReports()
  }

  /// metrics.jsonl, eval.json and loss.svg for everything recorded so far.
  public func writeReports() throws {
    var metrics: [UInt8] = []
    for line in metricLines {
      JSONWriter.write(line, into: &metrics)
      metrics.append(0x0A)
    }
    try directory.write(metrics, to: RunDirectory.metricsFileName)
    try directory.writeJSON(evalJSON, to: RunDirectory.evalFileName)
    try directory.write(Array(lossPlot().render().utf8), to: RunDirectory.lossPlotFileName)
  }

  /// eval.json: objective, steps, final metrics (null until the end), history and data counts.
  var evalJSON: JSONValue {
    .object([
      (key: "objective", value: .string(trainer.config.objective.rawValue)),
      (key: "step", value: .int(trainer.step)),
      (key: "total_steps", value: .int(trainer.totalSteps)),
      (key: "final", value: finalEvaluation?.jsonValue ?? .null),
      (key: "history", value: .array(evaluations)),
      (
        key: "data",
        value: .object([
          (key: "train", value: trainer.data.summaryJSON),
          (key: "val", value: validation.summaryJSON),
        ])
      ),
    ])
  }

  /// Training loss per step and validation loss per evaluation.
  func lossPlot() -> SVGPlot {
    let train = metricLines.compactMap { line -> (x: Double, y: Double)? in
      guard let s = line["step"]?.doubleValue, let l = line["loss/train"]?.doubleValue else {
        return nil
      }
      return (s, l)
    }
    let val = evaluations.compactMap { line -> (x: Double, y: Double)? in
      guard let s = line["step"]?.doubleValue, let l = line["loss/val"]?.doubleValue else {
        return nil
      }
      return (s, l)
    }
    return SVGPlot(
      title: "rmtrain \(trainer.config.objective.rawValue): loss", xLabel: "step",
      yLabel: trainer.config.objective == .scalar ? "Bradley–Terry loss" : "nats per target token",
      series: [
        PlotSeries(name: "train", points: train, color: SVGPlot.palette[0]),
        PlotSeries(name: "validation", points: val, color: SVGPlot.palette[1]),
      ])
  }

  /// model.safetensors + config.json (HF GPT-2 + "seq2seqrm"), tokenizer-independent files.
  func exportModel() throws {
    try trainer.model.save(directory: directory.path)
    let configPath = directory.file(GPTModel.configFileName)
    let hf = try JSONParser.parse(readFileBytes(configPath), path: configPath)
    guard var members = hf.objectValue else {
      throw TrainingError.badRunDirectory(path: configPath, detail: "config.json is not an object")
    }
    let ids = trainer.specials
    members += [
      (key: "bos_token_id", value: .int(ids.bos)), (key: "eos_token_id", value: .int(ids.eos)),
      (key: "pad_token_id", value: .int(ids.pad)),
      (key: "seq2seqrm", value: seq2seqrmJSON),
    ]
    try directory.writeJSON(.object(members), to: GPTModel.configFileName)
    try directory.writeJSON(rmConfigJSON, to: RunDirectory.rmConfigFileName)
  }

  /// Our block of config.json: version, every training setting, special ids, tokenizer, lineage.
  var seq2seqrmJSON: JSONValue {
    .object([
      (key: "toolkit_version", value: .string(ToolkitVersion.string)),
      (key: "kind", value: .string(trainer.config.objective.rawValue)),
      (key: "training", value: trainer.config.jsonValue),
      (key: "special_token_ids", value: specialIDsJSON(trainer.specials)),
      (key: "tokenizer_sha256", value: .string(tokenizerSHA256)),
      (key: "steps", value: .int(trainer.step)),
      (key: "lineage", value: lineage),
    ])
  }

  /// rm_config.json: what a consumer (rmppo) needs to use this run as a policy or reward model.
  var rmConfigJSON: JSONValue {
    let c = trainer.config
    return .object([
      (key: "kind", value: .string(c.objective.rawValue)),
      (key: "special_token_ids", value: specialIDsJSON(trainer.specials)),
      (key: "tokenizer_sha256", value: .string(tokenizerSHA256)),
      (key: "context_length", value: .int(trainer.model.config.contextLength)),
      (
        key: "score_position",
        value: .string(c.objective == .scalar ? "last_real_token" : "none")
      ),
      (
        key: "extraction",
        value: .object([
          (key: "variant", value: .string(c.extractionVariant)),
          (key: "r_pos", value: .double(c.rewardPositive)),
          (key: "r_neg", value: .double(c.rewardNegative)),
        ])
      ),
    ])
  }
}
