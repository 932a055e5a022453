// Resumable checkpoints of a run: `checkpoint/` holds the model (config.json, model.safetensors),
// the AdamW state (optimizer.safetensors) and trainer_state.json (steps done, the config). It is
// written into `checkpoint.partial/` and renamed into place, the old one removed only after, so a run
// killed at any moment leaves either the previous or the new checkpoint, complete.

import Corpus
import Transformer

#if canImport(Glibc)
import Glibc
#endif

/// What `--resume` needs besides the weights and optimizer moments.
public struct TrainerState: Sendable, Equatable {
  /// Optimizer steps completed.
  public var step: Int
  /// The run's settings (a resumed run must keep them).
  public var config: RewardTrainingConfig
}

extension RunDirectory {
  static let checkpointFiles = [
    GPTModel.configFileName, GPTModel.weightsFileName, optimizerFileName, trainerStateFileName,
  ]

  /// Writes model, optimizer and trainer state to `checkpoint/`, atomically as a whole.
  /// - Throws: `CheckpointError` or `TrainingError.badRunDirectory` on I/O failure.
  public func saveCheckpoint(model: GPTModel, optimizer: AdamW, state: TrainerState) throws {
    let partial = file(Self.checkpointDirectoryName + ".partial")
    let old = file(Self.checkpointDirectoryName + ".old")
    removeDirectory(partial, files: Self.checkpointFiles)
    try model.save(directory: partial)
    try optimizer.save(path: partial + "/" + Self.optimizerFileName)
    let stateJSON: JSONValue = .object([
      (key: "step", value: .int(state.step)), (key: "config", value: state.config.jsonValue),
    ])
    try AtomicFile.write(
      Array((JSONWriter.prettyString(stateJSON) + "\n").utf8),
      to: partial + "/" + Self.trainerStateFileName)
    removeDirectory(old, files: Self.checkpointFiles)
    if access(checkpointPath, F_OK) == 0 && rename(checkpointPath, old) != 0 {
      throw TrainingError.badRunDirectory(
        path: checkpointPath, detail: "cannot replace: \(String(cString: strerror(errno)))")
    }
    guard rename(partial, checkpointPath) == 0 else {
      throw TrainingError.badRunDirectory(
        path: checkpointPath, detail: "cannot rename: \(String(cString: strerror(errno)))")
    }
    removeDirectory(old, files: Self.checkpointFiles)
  }

  /// Loads the checkpoint: model, trainer state, and restores `optimizer` once built for the model.
  /// - Throws: `TrainingError.badRunDirectory` when there is no complete checkpoint.
  public func loadCheckpoint() throws -> (model: GPTModel, state: TrainerState) {
    guard access(checkpointPath + "/" + Self.trainerStateFileName, F_OK) == 0 else {
      throw TrainingError.badRunDirectory(
        path: path,
        detail: "no checkpoint to resume from (checkpoint/trainer_state.json is missing)")
    }
    let model = try GPTModel.load(directory: checkpointPath)
    let json = try JSONParser.parse(
      readFileBytes(checkpointPath + "/" + Self.trainerStateFileName),
      path: checkpointPath + "/" + Self.trainerStateFileName)
    guard let step = json["step"]?.intValue, let configJSON = json["config"],
      let objective = configJSON["objective"]?.stringValue.flatMap(
        TrainingObjective.init(rawValue:))
    else {
      throw TrainingError.badRunDirectory(
        path: checkpointPath, detail: "trainer_state.json is incomplete")
    }
    var config = RewardTrainingConfig(objective: objective)
    try config.apply(json: configJSON, source: checkpointPath + "/" + Self.trainerStateFileName)
    return (model, TrainerState(step: step, config: config))
  }

  /// Restores the optimizer moments saved with the checkpoint.
  public func restoreOptimizer(_ optimizer: AdamW) throws {
    try optimizer.load(path: checkpointPath + "/" + Self.optimizerFileName)
  }
}

extension RunDirectory {
  /// The step of an interrupted run here: a checkpoint exists but eval.json has no final
  /// evaluation (a run that finished records one). Nil when there is no checkpoint or the run
  /// finished.
  public func interruptedStep() -> Int? {
    let statePath = checkpointPath + "/" + Self.trainerStateFileName
    guard let bytes = try? readFileBytes(statePath),
      let step = (try? JSONParser.parse(bytes, path: statePath))?["step"]?.intValue
    else { return nil }
    let evalPath = file(Self.evalFileName)
    if let evalBytes = try? readFileBytes(evalPath),
      let final = (try? JSONParser.parse(evalBytes, path: evalPath))?["final"], final != .null
    {
      return nil
    }
    return step
  }
}
