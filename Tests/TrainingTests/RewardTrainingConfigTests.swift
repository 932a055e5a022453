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
    #expect(RewardTrainingConfig.keys.count == 28)
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
        source: "--batch-size", key: "batch_size", detail: "invalid value \"x\"")
    ) {
      try config.apply(key: "batch_size", text: "x")
    }
    config.heads = 3
    #expect(throws: TrainingError.self) { try config.validate() }
  }
}
