// The files of an `rmppo train` run, each written atomically (temp + rename):
//   config.json + model.safetensors  the exported actor, HF GPT-2 layout (as rmtrain runs), with
//                                    "seq2seqrm": kind "ppo", PPO settings, special ids, tokenizer
//                                    sha256 and lineage (policy, reward model, prompt shards)
//   tokenizer.json                   copy of the shared tokenizer
//   metrics.jsonl                    one line per iteration (PPOMetrics names)
//   reward.svg kl.svg length.svg     curves (refusal.svg with a refusal lexicon)
//   samples/iteration-NNNNNN.jsonl   decoded sample responses every sample interval
//   checkpoint/                      actor/, critic/, their AdamW moments, trainer_state.json

import BPE
import Corpus
import Transformer

#if canImport(Glibc)
import Glibc
#endif

/// What a PPO checkpoint restores besides weights and optimizer moments.
public struct PPOTrainerState: Sendable, Equatable {
  /// Iterations completed.
  public var iteration: Int
  /// Actor optimizer steps taken.
  public var updateStep: Int
  /// Reward normalisation statistics.
  public var rewardStatistics: RunningMeanStd
  /// Consecutive negative-KL iterations (K20 warning).
  public var negativeKLStreak: Int

  /// Creates a state.
  public init(
    iteration: Int, updateStep: Int, rewardStatistics: RunningMeanStd, negativeKLStreak: Int
  ) {
    self.iteration = iteration
    self.updateStep = updateStep
    self.rewardStatistics = rewardStatistics
    self.negativeKLStreak = negativeKLStreak
  }
}

/// Writers and readers for one PPO run directory.
public struct PPORun: Sendable {
  /// The directory.
  public let path: String
  /// The run's fixed facts, written into config.json's "seq2seqrm" block.
  public let settings: JSONValue

  /// A run at `path`; `settings` is the "seq2seqrm" block (kind, ppo, special ids, lineage…).
  public init(path: String, settings: JSONValue) {
    self.path = path
    self.settings = settings
  }

  func file(_ name: String) -> String { path + "/" + name }

  /// Creates the directory (and `samples/`).
  public func create() throws {
    try makeRunDirectories(path)
    try makeRunDirectories(file("samples"))
  }

  /// Writes the actor as a Hugging Face GPT-2 directory plus our "seq2seqrm" block.
  public func exportPolicy(
    _ model: GPTModel, specials: SpecialTokenIDs, into directory: String? = nil
  )
    throws
  {
    let target = directory ?? path
    try model.save(directory: target)
    let configPath = target + "/" + GPTModel.configFileName
    guard
      case .object(var members) = try JSONParser.parse(readFileBytes(configPath), path: configPath)
    else {
      throw TrainingError.badRunDirectory(path: target, detail: "config.json is not an object")
    }
    members.removeAll {
      ["bos_token_id", "eos_token_id", "pad_token_id", "seq2seqrm"].contains($0.key)
    }
    members += [
      (key: "bos_token_id", value: .int(specials.bos)),
      (key: "eos_token_id", value: .int(specials.eos)),
      (key: "pad_token_id", value: .int(specials.pad)), (key: "seq2seqrm", value: settings),
    ]
    try AtomicFile.write(
      Array((JSONWriter.prettyString(.object(members)) + "\n").utf8), to: configPath)
  }

  /// Copies the tokenizer bytes into the run.
  public func writeTokenizer(_ bytes: [UInt8]) throws {
    try AtomicFile.write(bytes, to: file("tokenizer.json"))
  }

  /// Rewrites metrics.jsonl with every line so far (atomic) and redraws the curves. Lines are
  /// kept as written (`PPOMetrics.jsonValue`), so a resumed run carries its earlier lines over
  /// unchanged.
  public func writeMetrics(_ lines: [JSONValue]) throws {
    try AtomicFile.write(Array(Self.jsonLines(lines).utf8), to: file("metrics.jsonl"))
    let history = lines.map(PPOMetrics.init(json:))
    func plot(
      _ name: String, _ title: String, _ y: String, _ series: [(String, (PPOMetrics) -> Double?)]
    )
      throws
    {
      let lines = series.enumerated().map { index, entry in
        PlotSeries(
          name: entry.0,
          points: history.compactMap { m in entry.1(m).map { (x: Double(m.iteration), y: $0) } },
          color: SVGPlot.palette[index % SVGPlot.palette.count])
      }
      guard lines.contains(where: { !$0.points.isEmpty }) else { return }
      let svg = SVGPlot(title: title, xLabel: "iteration", yLabel: y, series: lines).render()
      try AtomicFile.write(Array(svg.utf8), to: file(name))
    }
    try plot(
      "reward.svg", "Reward per response", "reward",
      [
        ("env/reward_mean", { $0.rewardMean }),
        ("objective/rlhf_reward", { $0.penalizedRewardMean }),
      ])
    try plot("kl.svg", "KL to the reference (per response)", "nats", [("objective/kl", { $0.kl })])
    try plot(
      "length.svg", "Response length", "tokens",
      [("response/length_mean", { $0.responseLengthMean })])
    try plot(
      "refusal.svg", "Refusal rate", "fraction", [("response/refusal_rate", { $0.refusalRate })])
  }

  /// Writes decoded samples of one iteration: prompt, response, reward sum, KL sum, length.
  public func writeSamples(
    iteration: Int, batch: RolloutBatch, decode: ([TokenID]) -> String, limit: Int
  )
    throws
  {
    var text = ""
    for row in 0..<min(limit, batch.rowCount) {
      let range = (row * batch.width)..<((row + 1) * batch.width)
      let line: JSONValue = .object([
        (key: "iteration", value: .int(iteration)),
        (key: "prompt", value: .string(decode(batch.prompts[row]))),
        (key: "response", value: .string(decode(batch.responses[row]))),
        (key: "reward", value: .double(batch.scores[range].reduce(0.0) { $0 + Double($1) })),
        (key: "kl", value: .double(batch.kl[range].reduce(0.0) { $0 + Double($1) })),
        (key: "length", value: .int(batch.responses[row].count)),
        (key: "ends_with_eos", value: .bool(batch.endsWithEOS[row])),
      ])
      text += JSONWriter.string(line) + "\n"
    }
    let name = "samples/iteration-" + String(String(iteration).reversed()).padding(6) + ".jsonl"
    try AtomicFile.write(Array(text.utf8), to: file(name))
  }

  // MARK: - Checkpoints

  static let checkpointFiles = [
    "actor/config.json", "actor/model.safetensors", "critic/config.json",
    "critic/model.safetensors",
    "actor_optimizer.safetensors", "critic_optimizer.safetensors", "trainer_state.json",
    "metrics.jsonl",
  ]

  /// Saves actor, critic, both optimizers, the trainer state and the metrics so far into
  /// `checkpoint/`, atomically as a whole (written to checkpoint.partial, then renamed).
  public func saveCheckpoint(
    actor: GPTModel, actorOptimizer: AdamW, critic: GPTModel, criticOptimizer: AdamW,
    state: PPOTrainerState, history: [JSONValue]
  ) throws {
    let partial = file("checkpoint.partial")
    let old = file("checkpoint.old")
    removeCheckpoint(partial)
    try makeRunDirectories(partial)
    try actor.save(directory: partial + "/actor")
    try critic.save(directory: partial + "/critic")
    try actorOptimizer.save(path: partial + "/actor_optimizer.safetensors")
    try criticOptimizer.save(path: partial + "/critic_optimizer.safetensors")
    let stats = state.rewardStatistics
    let stateJSON: JSONValue = .object([
      (key: "iteration", value: .int(state.iteration)),
      (key: "update_step", value: .int(state.updateStep)),
      (key: "negative_kl_streak", value: .int(state.negativeKLStreak)),
      (
        key: "reward_statistics",
        value: .object([
          (key: "mean", value: .double(stats.mean)),
          (key: "variance", value: .double(stats.variance)),
          (key: "count", value: .double(stats.count)), (key: "updates", value: .int(stats.updates)),
        ])
      ),
      (key: "settings", value: settings),
    ])
    try AtomicFile.write(
      Array((JSONWriter.prettyString(stateJSON) + "\n").utf8), to: partial + "/trainer_state.json")
    try AtomicFile.write(Array(Self.jsonLines(history).utf8), to: partial + "/metrics.jsonl")
    removeCheckpoint(old)
    let current = file("checkpoint")
    if access(current, F_OK) == 0 && rename(current, old) != 0 {
      throw TrainingError.badRunDirectory(
        path: path, detail: "cannot move the old checkpoint aside")
    }
    guard rename(partial, current) == 0 else {
      throw TrainingError.badRunDirectory(path: path, detail: "cannot rename checkpoint.partial")
    }
    removeCheckpoint(old)
  }

  /// Loads the checkpoint: actor, critic, trainer state, the metrics lines, and the settings
  /// block it was made with. Restore the optimizers with `restoreOptimizers`.
  /// - Throws: `TrainingError.badRunDirectory` when there is no complete checkpoint.
  public func loadCheckpoint() throws -> (
    actor: GPTModel, critic: GPTModel, state: PPOTrainerState, metricsLines: [JSONValue],
    settings: JSONValue
  ) {
    let directory = file("checkpoint")
    guard access(directory + "/trainer_state.json", F_OK) == 0 else {
      throw TrainingError.badRunDirectory(
        path: path,
        detail: "no checkpoint to resume from (checkpoint/trainer_state.json is missing)")
    }
    let statePath = directory + "/trainer_state.json"
    let json = try JSONParser.parse(readFileBytes(statePath), path: statePath)
    guard let iteration = json["iteration"]?.intValue,
      let updateStep = json["update_step"]?.intValue,
      let stats = json["reward_statistics"], let settings = json["settings"]
    else {
      throw TrainingError.badRunDirectory(path: path, detail: "trainer_state.json is incomplete")
    }
    let statistics = RunningMeanStd(
      mean: stats["mean"]?.doubleValue ?? 0, variance: stats["variance"]?.doubleValue ?? 1,
      count: stats["count"]?.doubleValue ?? 1e-4, updates: stats["updates"]?.intValue ?? 0)
    let state = PPOTrainerState(
      iteration: iteration, updateStep: updateStep, rewardStatistics: statistics,
      negativeKLStreak: json["negative_kl_streak"]?.intValue ?? 0)
    let metricsText = String(
      decoding: try readFileBytes(directory + "/metrics.jsonl"), as: UTF8.self)
    let lines = try metricsText.split(separator: "\n").map {
      try JSONParser.parse(Array($0.utf8), path: directory + "/metrics.jsonl")
    }
    return (
      try GPTModel.load(directory: directory + "/actor"),
      try GPTModel.load(directory: directory + "/critic"),
      state, lines, settings
    )
  }

  /// The iteration of an interrupted run here: a checkpoint whose iteration is below the
  /// iterations its settings asked for. Nil when there is no checkpoint or the run finished.
  public func interruptedIteration() -> Int? {
    let statePath = file("checkpoint/trainer_state.json")
    guard let bytes = try? readFileBytes(statePath),
      let json = try? JSONParser.parse(bytes, path: statePath),
      let iteration = json["iteration"]?.intValue
    else { return nil }
    let planned = json["settings"]?["ppo"]?["iterations"]?.intValue ?? Int.max
    return iteration < planned ? iteration : nil
  }

  /// One compact JSON object per line.
  static func jsonLines(_ lines: [JSONValue]) -> String {
    lines.reduce(into: "") { $0 += JSONWriter.string($1) + "\n" }
  }

  /// Restores the AdamW moments saved with the checkpoint.
  public func restoreOptimizers(actor: AdamW, critic: AdamW) throws {
    try actor.load(path: file("checkpoint/actor_optimizer.safetensors"))
    try critic.load(path: file("checkpoint/critic_optimizer.safetensors"))
  }

  func removeCheckpoint(_ directory: String) {
    for name in Self.checkpointFiles { unlink(directory + "/" + name) }
    rmdir(directory + "/actor")
    rmdir(directory + "/critic")
    rmdir(directory)
  }
}

extension String {
  /// Left-pads a reversed digit string with zeros to `width` and reverses it back.
  fileprivate func padding(_ width: Int) -> String {
    String((self + String(repeating: "0", count: max(0, width - count))).reversed())
  }
}
