// Tests for RewardTrainingConfig: every default is written to JSON, the JSON reads back to the same
// config, flags override by key, and unknown keys or bad values are errors naming the key.

import Corpus
import Testing

@testable import Training

@Suite struct RewardTrainingConfigTests {
  @Test func defaultsPerObjective() {
    #expect(RewardTrainingConfig(objective: .sft).learningRate == 1e-3)
    #expect(RewardTrainingConfig(objective: .seq2seq).learningRate == 5e-4)
    let scalar = RewardTrainingConfig(objective: .scalar)
    #expect(scalar.magnitudeCoefficient == 0.001)
    #expect(scalar.objective.targetKind == "pairs")
    #expect(scalar.beta2 == 0.95)
    #expect(scalar.gradientClip == 1)
  }

  @Test func jsonHasEveryKeyAndRoundTrips() throws {
    var config = RewardTrainingConfig(objective: .seq2seq)
    config.learningRate = 3e-4
    config.seed = 18_446_744_073_709_551_615
    config.lossNormalization = .sequenceSum
    let json = config.jsonValue
    #expect(json.objectValue?.map(\.key) == RewardTrainingConfig.keys)
    #expect(
      RewardTrainingConfig.keys == [
        "objective", "layers", "heads", "width", "context_length", "batch_size", "epochs",
        "max_steps", "learning_rate", "warmup_fraction", "min_lr_ratio", "beta1", "beta2",
        "epsilon", "weight_decay", "gradient_clip", "loss_normalization", "magnitude_coefficient",
        "seed", "threads", "log_every", "eval_every", "checkpoint_every", "eval_limit", "r_pos",
        "r_neg",
        "extraction_variant",
      ])
    #expect(JSONWriter.string(json["learning_rate"]!) == "0.0003")
    var back = RewardTrainingConfig(objective: .sft)
    try back.apply(json: try JSONParser.parse(JSONWriter.string(json)), source: "t")
    #expect(back == config)
  }

  @Test func flagsOverrideByKey() throws {
    var config = RewardTrainingConfig(objective: .sft)
    try config.apply(key: "batch_size", text: "16")
    try config.apply(key: "loss_normalization", text: "sequence-sum")
    try config.apply(key: "extraction_variant", text: "B")
    #expect(config.batchSize == 16)
    #expect(config.lossNormalization == .sequenceSum)
    #expect(config.extractionVariant == "B")
  }

  @Test func unknownKeyAndBadValueNameTheKey() throws {
    var config = RewardTrainingConfig(objective: .sft)
    #expect(
      throws: TrainingError.invalidConfig(
        source: "c.json", key: "learning_rat", detail: "unknown key")
    ) {
      try config.apply(
        json: .object([(key: "learning_rat", value: .number("1"))]), source: "c.json")
    }
    #expect(
      throws: TrainingError.invalidConfig(
        source: "--batch-size", key: "batch_size",
        detail: "invalid value \"x\" (expected an integer)")
    ) {
      try config.apply(key: "batch_size", text: "x")
    }
    config.heads = 3
    #expect(throws: TrainingError.self) { try config.validate() }
  }

  /// Enumerated settings list their allowed values; variant C (METHOD.md §2.2) is accepted.
  @Test func enumeratedValuesListTheChoicesAndAcceptVariantC() throws {
    var config = RewardTrainingConfig(objective: .seq2seq)
    try config.apply(key: "extraction_variant", text: "C")
    #expect(config.extractionVariant == "C")
    #expect(
      throws: TrainingError.invalidConfig(
        source: "--extraction-variant", key: "extraction_variant",
        detail: "invalid value \"D\" (expected one of A, B, C)")
    ) { try config.apply(key: "extraction_variant", text: "D") }
    #expect(
      throws: TrainingError.invalidConfig(
        source: "--loss-normalization", key: "loss_normalization",
        detail: "invalid value \"foo\" (expected one of token-mean, sequence-sum)")
    ) { try config.apply(key: "loss_normalization", text: "foo") }
  }
}
