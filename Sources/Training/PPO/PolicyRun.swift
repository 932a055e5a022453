// Opening any run directory as a model for rmppo: an rmtrain run (sft, seq2seq, scalar) or a PPO
// run. Reads config.json (HF GPT-2 + our "seq2seqrm" block: kind, special ids, tokenizer sha256),
// model.safetensors and the tokenizer.json copy; records sha256s for lineage. Every pair of inputs
// of a PPO run or evaluation must agree on the tokenizer and special ids before any work starts.

import BPE
import Corpus
import Transformer

/// A run directory loaded as a model plus the facts needed to combine it with others.
public struct PolicyRun {
  /// The directory.
  public let path: String
  /// The model (with its value head when the run has one).
  public let model: GPTModel
  /// The run's kind: sft, seq2seq, scalar or ppo.
  public let kind: String
  /// Special token ids recorded by the run.
  public let specials: SpecialTokenIDs
  /// sha256 of the tokenizer the run was trained with.
  public let tokenizerSHA256: String
  /// sha256 of config.json and model.safetensors.
  public let configSHA256: String
  public let modelSHA256: String

  /// Loads `path`.
  /// - Throws: `TrainingError.badRunDirectory` when a file or key is missing; `CheckpointError`.
  public static func open(path: String) throws -> PolicyRun {
    let configPath = path + "/" + GPTModel.configFileName
    let weightsPath = path + "/" + GPTModel.weightsFileName
    guard let configBytes = try? readFileBytes(configPath) else {
      throw TrainingError.badRunDirectory(path: path, detail: "config.json is missing")
    }
    guard let weights = try? readFileBytes(weightsPath) else {
      throw TrainingError.badRunDirectory(
        path: path, detail: "model.safetensors is missing (was the run finished?)")
    }
    let json = try JSONParser.parse(configBytes, path: configPath)
    guard let block = json["seq2seqrm"], let kind = block["kind"]?.stringValue,
      let specials = block["special_token_ids"].flatMap(PolicyRun.specials(json:)),
      let tokenizerSHA256 = block["tokenizer_sha256"]?.stringValue
    else {
      throw TrainingError.badRunDirectory(
        path: path,
        detail: "config.json has no \"seq2seqrm\" block with kind, special_token_ids and "
          + "tokenizer_sha256 (not an rmtrain or rmppo run)")
    }
    return PolicyRun(
      path: path, model: try GPTModel.load(directory: path), kind: kind, specials: specials,
      tokenizerSHA256: tokenizerSHA256, configSHA256: SHA256.hash(configBytes).hex,
      modelSHA256: SHA256.hash(weights).hex)
  }

  /// Kinds of run that can act as a policy (`--policy`, `--against`): an `rmtrain sft` run or an
  /// `rmppo train` export.
  public static let policyKinds = ["sft", "ppo"]
  /// Kinds of run that can act as a reward model (`--reward`).
  public static let rewardKinds = ["seq2seq", "scalar"]
  /// The command that makes each kind of run (for refusals).
  static let kindMakers = [
    "sft": "rmtrain sft", "ppo": "rmppo train", "seq2seq": "rmtrain seq2seq",
    "scalar": "rmtrain scalar",
  ]

  /// Refuses a run of another kind than `kinds` given as `--<flag>`, before any work.
  ///
  ///     try run.requireKind(PolicyRun.policyKinds, flag: "policy")
  ///     // incompatible kind of the --policy run runs/rm: expected sft or ppo (a run of
  ///     // rmtrain sft or rmppo train), found scalar
  /// - Throws: `TrainingError.incompatible` naming the flag, the run, the kinds accepted and the
  ///   commands that make them.
  public func requireKind(_ kinds: [String], flag: String) throws {
    guard !kinds.contains(kind) else { return }
    let makers = kinds.map { Self.kindMakers[$0] ?? $0 }.joined(separator: " or ")
    throw TrainingError.incompatible(
      what: "kind of the --\(flag) run \(path)",
      expected: kinds.joined(separator: " or ") + " (a run of \(makers))", found: kind)
  }

  /// The tokenizer copy inside the run.
  public var tokenizerPath: String { path + "/tokenizer.json" }

  /// Lineage entry naming this run by content.
  public var lineageJSON: JSONValue {
    .object([
      (key: "path", value: .string(path)), (key: "kind", value: .string(kind)),
      (key: "config_sha256", value: .string(configSHA256)),
      (key: "model_sha256", value: .string(modelSHA256)),
    ])
  }

  /// Refuses an input made with another tokenizer or other special ids, before any work.
  /// - Throws: `TrainingError.incompatible` naming both inputs and what differs.
  public func requireCompatible(
    with what: String, tokenizerSHA256 other: String, specials otherSpecials: SpecialTokenIDs
  ) throws {
    guard other == tokenizerSHA256 else {
      throw TrainingError.incompatible(
        what: "tokenizer sha256 of \(path) and \(what) (use one tokenizer.json for every stage)",
        expected: tokenizerSHA256, found: other)
    }
    guard otherSpecials == specials else {
      throw TrainingError.incompatible(
        what: "special token ids of \(path) and \(what)", expected: "\(specials.all)",
        found: "\(otherSpecials.all)")
    }
  }

  /// Special ids as a JSON object in the fixed order pad, bos, eos, sep_resp, sep_corr.
  public static func specialsJSON(_ ids: SpecialTokenIDs) -> JSONValue {
    .object([
      (key: "pad", value: .int(ids.pad)), (key: "bos", value: .int(ids.bos)),
      (key: "eos", value: .int(ids.eos)), (key: "sep_resp", value: .int(ids.sepResp)),
      (key: "sep_corr", value: .int(ids.sepCorr)),
    ])
  }

  /// Reads special ids written by `specialIDsJSON`; nil when a key is missing.
  public static func specials(json: JSONValue) -> SpecialTokenIDs? {
    func id(_ key: String) -> UInt32? { json[key]?.intValue.flatMap { UInt32(exactly: $0) } }
    guard let pad = id("pad"), let bos = id("bos"), let eos = id("eos"),
      let sepResp = id("sep_resp"),
      let sepCorr = id("sep_corr")
    else { return nil }
    return SpecialTokenIDs(pad: pad, bos: bos, eos: eos, sepResp: sepResp, sepCorr: sepCorr)
  }
}
