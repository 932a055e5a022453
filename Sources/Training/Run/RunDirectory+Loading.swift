// Opening a finished run directory for evaluation, sampling, `--init` and rmppo: the model, its
// kind, special ids and tokenizer hash from config.json's "seq2seqrm" block, and the tokenizer
// copy. Compatibility checks between a run and data (tokenizer sha256, special ids) live here too,
// so every consumer refuses the same mismatches with the same message.

import BPE
import Corpus
import Transformer

/// A run directory's model and the facts needed to use it.
public struct LoadedRun {
  /// The run directory.
  public let directory: RunDirectory
  /// The trained model (with its value head when it has one).
  public let model: GPTModel
  /// What the run trained: sft, seq2seq or scalar.
  public let kind: TrainingObjective
  /// Special token ids of its tokenizer.
  public let specials: SpecialTokenIDs
  /// sha256 of its tokenizer.json.
  public let tokenizerSHA256: String
  /// Its training settings.
  public let config: RewardTrainingConfig
  /// sha256 of config.json and model.safetensors, for the lineage of runs built on it.
  public let configSHA256: String
  public let modelSHA256: String

  /// Loads `path` (written by rmtrain).
  /// - Throws: `TrainingError.badRunDirectory` when a file or key is missing; `CheckpointError`.
  public static func open(path: String) throws -> LoadedRun {
    let directory = RunDirectory(path: path)
    guard directory.exists(GPTModel.weightsFileName) else {
      throw TrainingError.badRunDirectory(
        path: path, detail: "model.safetensors is missing (was the run finished? use --resume)")
    }
    let configBytes = try readFileBytes(directory.file(GPTModel.configFileName))
    let json = try JSONParser.parse(configBytes, path: directory.file(GPTModel.configFileName))
    guard let block = json["seq2seqrm"],
      let kind = block["kind"]?.stringValue.flatMap(TrainingObjective.init(rawValue:)),
      let specials = block["special_token_ids"].flatMap(specialIDs(json:)),
      let tokenizerSHA256 = block["tokenizer_sha256"]?.stringValue,
      let training = block["training"]
    else {
      throw TrainingError.badRunDirectory(
        path: path, detail: "config.json has no complete \"seq2seqrm\" block (not an rmtrain run)")
    }
    var config = RewardTrainingConfig(objective: kind)
    try config.apply(json: training, source: directory.file(GPTModel.configFileName))
    let model = try GPTModel.load(directory: path)
    let weights = try readFileBytes(directory.file(GPTModel.weightsFileName))
    return LoadedRun(
      directory: directory, model: model, kind: kind, specials: specials,
      tokenizerSHA256: tokenizerSHA256, config: config,
      configSHA256: SHA256.hash(configBytes).hex, modelSHA256: SHA256.hash(weights).hex)
  }

  /// Lineage entry for a run initialised from this one.
  public var lineageJSON: JSONValue {
    .object([
      (key: "path", value: .string(directory.path)), (key: "kind", value: .string(kind.rawValue)),
      (key: "config_sha256", value: .string(configSHA256)),
      (key: "model_sha256", value: .string(modelSHA256)),
    ])
  }

  /// Refuses data made with another tokenizer or other special ids.
  /// - Throws: `TrainingError.incompatible` naming what differs.
  public func requireCompatible(
    tokenizerSHA256 other: String, specials otherSpecials: SpecialTokenIDs
  )
    throws
  {
    guard other == tokenizerSHA256 else {
      throw TrainingError.incompatible(
        what: "tokenizer sha256 of \(directory.path) and the data", expected: tokenizerSHA256,
        found: other)
    }
    guard otherSpecials == specials else {
      throw TrainingError.incompatible(
        what: "special token ids of \(directory.path) and the data",
        expected: "\(specials.all)", found: "\(otherSpecials.all)")
    }
  }
}
