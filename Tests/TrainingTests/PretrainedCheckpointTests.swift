// Tests for PretrainedCheckpoint: a GPT-2 checkpoint in the Hugging Face layout (no "seq2seqrm"
// block) is recognised, grown to the data's vocabulary with mean rows, keeps its logits on the old
// ids, and refuses a data vocabulary smaller than its own.

import Corpus
import Foundation
import Testing
import Transformer

@testable import Training

@Suite(.serialized) struct PretrainedCheckpointTests {
  let config = ModelConfig(
    vocabularySize: 11, contextLength: 8, layerCount: 2, headCount: 2, channelCount: 8)

  func savedCheckpoint(_ name: String) throws -> (path: String, model: GPTModel) {
    let path = NSTemporaryDirectory() + "rmtrain-pretrained-\(getpid())-\(name)"
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    let model = GPTModel(config: config, seed: 21)
    try model.save(directory: path)
    return (path, model)
  }

  @Test func growsTheVocabularyAndKeepsTheOldLogits() throws {
    setThreadCount(1)
    let (path, original) = try savedCheckpoint("grow")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(PretrainedCheckpoint.isPretrained(path: path))
    let pretrained = try PretrainedCheckpoint.open(path: path, vocabularySize: 14)
    #expect(pretrained.model.config.vocabularySize == 14)
    #expect(pretrained.originalVocabularySize == 11)
    #expect(pretrained.addedTokens == 3)
    #expect(pretrained.lineageJSON["kind"]?.stringValue == "pretrained")
    #expect(pretrained.lineageJSON["added_tokens"]?.intValue == 3)
    #expect(pretrained.lineageJSON["model_sha256"]?.stringValue?.count == 64)
    // Row 11 (a new token) is the mean of rows 0..<11 of the token embedding.
    let C = config.channelCount
    let wte = original.parameters.storage
    let grown = pretrained.model.parameters.storage
    for i in 0..<C {
      let mean = (0..<11).reduce(0.0) { $0 + Double(wte[$1 * C + i]) } / 11
      #expect(abs(Double(grown[11 * C + i]) - mean) < 1e-7)
    }
    // The old ids' logits are unchanged.
    let tokens: [Int32] = [1, 5, 10, 3, 0, 7]
    for model in [original, pretrained.model] {
      tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: 2, sequenceLength: 3) }
    }
    let before = Array(original.logits)
    let after = Array(pretrained.model.logits)
    for row in 0..<6 {
      for v in 0..<11 { #expect(abs(before[row * 11 + v] - after[row * 14 + v]) < 1e-6) }
    }
  }

  @Test func smallerDataVocabularyIsRefused() throws {
    let (path, _) = try savedCheckpoint("smaller")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: TrainingError.self) {
      try PretrainedCheckpoint.open(path: path, vocabularySize: 10)
    }
  }

  @Test func rmtrainRunsAndMissingDirectoriesAreNotPretrained() throws {
    let (path, _) = try savedCheckpoint("run")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Array(#"{"n_embd": 8, "seq2seqrm": {"kind": "sft"}}"#.utf8).withUnsafeBytes {
      try Data($0).write(to: URL(fileURLWithPath: path + "/config.json"))
    }
    #expect(!PretrainedCheckpoint.isPretrained(path: path))
    #expect(!PretrainedCheckpoint.isPretrained(path: path + "/absent"))
  }
}
