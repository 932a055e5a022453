// RewardTrainingConfig ↔ JSON: one table of (key, read, write) per field, so the writer and the
// reader cannot drift apart. Keys are snake_case as in the config files of the framework.

import Corpus

extension RewardTrainingConfig {
  /// One config field: its JSON key, how to write it and how to read it back.
  struct Field {
    let key: String
    /// What a valid value looks like, for error messages ("an integer", "one of A, B, C").
    var expected = "a valid value"
    let write: (RewardTrainingConfig) -> JSONValue
    let read: (inout RewardTrainingConfig, JSONValue) -> Bool
  }

  static func int(_ key: String, _ path: WritableKeyPath<RewardTrainingConfig, Int>) -> Field {
    Field(
      key: key, expected: "an integer", write: { .int($0[keyPath: path]) },
      read: { config, value in
        guard let v = value.intValue else { return false }
        config[keyPath: path] = v
        return true
      })
  }

  static func double(_ key: String, _ path: WritableKeyPath<RewardTrainingConfig, Double>) -> Field
  {
    Field(
      key: key, expected: "a number", write: { .double($0[keyPath: path]) },
      read: { config, value in
        guard let v = value.doubleValue, v.isFinite else { return false }
        config[keyPath: path] = v
        return true
      })
  }

  /// Every field, in the order written to config.json.
  static var fields: [Field] {
    [
      Field(
        key: "objective",
        expected: "one of " + TrainingObjective.allCases.map(\.rawValue).joined(separator: ", "),
        write: { .string($0.objective.rawValue) },
        read: { config, value in
          guard let v = value.stringValue.flatMap(TrainingObjective.init(rawValue:)) else {
            return false
          }
          config.objective = v
          return true
        }),
      int("layers", \.layers), int("heads", \.heads), int("width", \.width),
      int("context_length", \.contextLength), int("batch_size", \.batchSize),
      int("epochs", \.epochs),
      int("max_steps", \.maxSteps), double("learning_rate", \.learningRate),
      double("warmup_fraction", \.warmupFraction), double("min_lr_ratio", \.minLearningRateRatio),
      double("beta1", \.beta1), double("beta2", \.beta2), double("epsilon", \.epsilon),
      double("weight_decay", \.weightDecay), double("gradient_clip", \.gradientClip),
      Field(
        key: "loss_normalization",
        expected: "one of " + LossNormalization.allCases.map(\.rawValue).joined(separator: ", "),
        write: { .string($0.lossNormalization.rawValue) },
        read: { config, value in
          guard let v = value.stringValue.flatMap(LossNormalization.init(rawValue:)) else {
            return false
          }
          config.lossNormalization = v
          return true
        }),
      double("magnitude_coefficient", \.magnitudeCoefficient),
      Field(
        key: "seed", expected: "a non-negative integer",
        write: { .number(String($0.seed)) },
        read: { config, value in
          guard let v = value.numberText.flatMap({ UInt64($0) }) else { return false }
          config.seed = v
          return true
        }),
      int("threads", \.threads), int("log_every", \.logEvery), int("eval_every", \.evalEvery),
      int("checkpoint_every", \.checkpointEvery), int("eval_limit", \.evalLimit),
      double("r_pos", \.rewardPositive), double("r_neg", \.rewardNegative),
      Field(
        key: "extraction_variant",
        expected: "one of " + ExtractionVariant.allCases.map(\.rawValue).joined(separator: ", "),
        write: { .string($0.extractionVariant) },
        read: { config, value in
          guard let v = value.stringValue.flatMap({ ExtractionVariant(rawValue: $0.uppercased()) })
          else { return false }
          config.extractionVariant = v.rawValue
          return true
        }),
    ]
  }

  /// The config as a JSON object with every field (defaults included).
  public var jsonValue: JSONValue {
    .object(Self.fields.map { (key: $0.key, value: $0.write(self)) })
  }

  /// What a valid value of `key` looks like ("an integer", "one of A, B, C"), nil for no such key.
  public static func expectedValue(forKey key: String) -> String? {
    fields.first { $0.key == key }?.expected
  }

  /// JSON keys of every field, in order (also the names of the command-line flags, with `-`).
  public static var keys: [String] { fields.map(\.key) }

  /// Overrides fields from a JSON object (a `--config` file or a saved config.json's training part).
  /// - Parameter source: name for error messages (the file path).
  /// - Throws: `TrainingError.invalidConfig` naming the key for an unknown key or a bad value.
  public mutating func apply(json: JSONValue, source: String) throws {
    guard let members = json.objectValue else {
      throw TrainingError.invalidConfig(source: source, key: "", detail: "expected a JSON object")
    }
    for (key, value) in members {
      guard let field = Self.fields.first(where: { $0.key == key }) else {
        throw TrainingError.invalidConfig(source: source, key: key, detail: "unknown key")
      }
      guard field.read(&self, value) else {
        throw TrainingError.invalidConfig(
          source: source, key: key,
          detail: "invalid value \(JSONWriter.string(value)) (expected \(field.expected))")
      }
    }
  }

  /// Overrides one field from command-line text (`--learning-rate 3e-4` → key `learning_rate`).
  /// - Throws: `TrainingError.invalidConfig` for an unknown key or a value that does not parse.
  public mutating func apply(key: String, text: String) throws {
    let value: JSONValue =
      (Double(text) != nil && !text.hasPrefix("+")) ? .number(text) : .string(text)
    try apply(json: .object([(key: key, value: value)]), source: "--\(key.replacingUnderscores())")
  }

  /// Checks the values against each other.
  /// - Throws: `TrainingError.invalidConfig` naming the offending key.
  public func validate() throws {
    func fail(_ key: String, _ detail: String) throws {
      throw TrainingError.invalidConfig(source: "config", key: key, detail: detail)
    }
    if layers < 1 { try fail("layers", "must be at least 1") }
    if heads < 1 || width % heads != 0 { try fail("heads", "must divide width \(width)") }
    if batchSize < 1 { try fail("batch_size", "must be at least 1") }
    if epochs < 1 && maxSteps < 1 { try fail("epochs", "must be at least 1") }
    if !(learningRate > 0) { try fail("learning_rate", "must be positive") }
    if !(0...1).contains(warmupFraction) { try fail("warmup_fraction", "must be in [0, 1]") }
    if threads < 1 { try fail("threads", "must be at least 1") }
    if logEvery < 1 { try fail("log_every", "must be at least 1") }
    let counts = [
      ("epochs", epochs), ("max_steps", maxSteps), ("context_length", contextLength),
      ("eval_every", evalEvery), ("checkpoint_every", checkpointEvery), ("eval_limit", evalLimit),
    ]
    for (key, value) in counts where value < 0 { try fail(key, "must be at least 0") }
    if !(minLearningRateRatio >= 0 && minLearningRateRatio <= 1) {
      try fail("min_lr_ratio", "must be in [0, 1]")
    }
  }
}

extension String {
  /// `learning_rate` → `learning-rate` (flag spelling of a config key).
  func replacingUnderscores() -> String { String(map { $0 == "_" ? "-" : $0 }) }
}
