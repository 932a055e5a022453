// Tests for TrainingRun and the run directory: every file is written, config.json is a Hugging Face
// GPT-2 config with our block, and a run stopped mid-way (as by Ctrl-C) then resumed from its
// checkpoint ends with weights identical, bit for bit, to an uninterrupted run.

import BPE
import Corpus
import Foundation
import Testing
import Transformer

@testable import Training

@Suite(.serialized) struct TrainingRunTests {
  typealias Tiny = TinyPreferenceData

  func temporaryDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "rmtrain-test-\(getpid())-\(name)"
    try? FileManager.default.removeItem(atPath: path)
    return path
  }

  func makeRun(_ path: String, config: RewardTrainingConfig, model: GPTModel, startStep: Int = 0)
    throws -> TrainingRun
  {
    let data = TrainingData.languageModel(documents: Tiny.sftDocuments())
    let optimizer = AdamW(
      model: model, learningRate: Float(config.learningRate), betas: (0.9, 0.95), epsilon: 1e-8,
      weightDecay: 0)
    let directory = RunDirectory(path: path)
    if startStep > 0 { try directory.restoreOptimizer(optimizer) }
    try directory.create()
    let trainer = try RewardTrainer(
      config: config, model: model, optimizer: optimizer, data: data, specials: Tiny.specials,
      startStep: startStep)
    return TrainingRun(
      directory: directory, trainer: trainer, evaluator: Tiny.evaluator(.sft), validation: data,
      lineage: .object([(key: "test", value: .bool(true))]), tokenizerSHA256: "abc",
      previousMetrics: startStep > 0
        ? try String(contentsOfFile: path + "/metrics.jsonl", encoding: .utf8)
          .split(separator: "\n").map { try JSONParser.parse(String($0)) } : [])
  }

  @Test func stoppedAndResumedRunMatchesUninterruptedBitForBit() throws {
    var config = Tiny.config(.sft, steps: 6)
    config.warmupFraction = 0.3
    config.minLearningRateRatio = 0.1
    config.batchSize = 3  // 3 steps per epoch: the resume crosses an epoch boundary
    // Uninterrupted.
    let straight = temporaryDirectory("straight")
    let runA = try makeRun(straight, config: config, model: Tiny.model())
    #expect(try runA.run(shouldStop: { false }, onStep: { _ in }, onEvaluation: { _ in }))
    // Stopped after 4 steps, then resumed in a new process-like setting from the checkpoint.
    let resumed = temporaryDirectory("resumed")
    let runB = try makeRun(resumed, config: config, model: Tiny.model())
    var steps = 0
    let completed = try runB.run(
      shouldStop: { steps == 4 }, onStep: { _ in steps += 1 }, onEvaluation: { _ in })
    #expect(!completed)
    #expect(!FileManager.default.fileExists(atPath: resumed + "/model.safetensors"))
    let (model, state) = try RunDirectory(path: resumed).loadCheckpoint()
    #expect(state.step == 4)
    #expect(state.config == config)
    let runC = try makeRun(resumed, config: state.config, model: model, startStep: state.step)
    #expect(try runC.run(shouldStop: { false }, onStep: { _ in }, onEvaluation: { _ in }))
    let a = try Data(contentsOf: URL(fileURLWithPath: straight + "/model.safetensors"))
    let b = try Data(contentsOf: URL(fileURLWithPath: resumed + "/model.safetensors"))
    #expect(a == b)
    // The metrics agree step for step (timing fields aside).
    let lossesA = runA.metricLines.map { $0["loss/train"]! }
    let lossesC = runC.metricLines.map { $0["loss/train"]! }
    #expect(lossesA == lossesC)
    #expect(runC.metricLines.count == 6)
    try? FileManager.default.removeItem(atPath: straight)
    try? FileManager.default.removeItem(atPath: resumed)
  }

  @Test func runDirectoryHoldsEveryFile() throws {
    let path = temporaryDirectory("files")
    var config = Tiny.config(.sft, steps: 2)
    config.evalEvery = 1
    let run = try makeRun(path, config: config, model: Tiny.model())
    var evaluations = 0
    _ = try run.run(
      shouldStop: { false }, onStep: { _ in }, onEvaluation: { _ in evaluations += 1 })
    #expect(evaluations == 2)  // step 1, then the final one at step 2
    for name in [
      "config.json", "model.safetensors", "rm_config.json", "metrics.jsonl", "eval.json",
      "loss.svg",
      "checkpoint/trainer_state.json", "checkpoint/optimizer.safetensors",
    ] {
      #expect(FileManager.default.fileExists(atPath: path + "/" + name), "\(name) missing")
    }
    let config_ = try JSONParser.parse(
      try String(contentsOfFile: path + "/config.json", encoding: .utf8))
    #expect(config_["model_type"]?.stringValue == "gpt2")
    #expect(config_["pad_token_id"]?.intValue == 0)
    #expect(config_["seq2seqrm"]?["training"]?["max_steps"]?.intValue == 2)
    #expect(config_["seq2seqrm"]?["lineage"]?["test"]?.boolValue == true)
    let eval = try JSONParser.parse(
      try String(contentsOfFile: path + "/eval.json", encoding: .utf8))
    #expect(eval["history"]?.arrayValue?.count == 2)
    #expect(eval["final"]?["step"]?.intValue == 2)
    let rm = try JSONParser.parse(
      try String(contentsOfFile: path + "/rm_config.json", encoding: .utf8))
    #expect(rm["kind"]?.stringValue == "sft")
    #expect(rm["special_token_ids"]?["sep_corr"]?.intValue == 4)
    let loaded = try LoadedRun.open(path: path)
    #expect(loaded.kind == .sft)
    #expect(loaded.specials == Tiny.specials)
    #expect(loaded.config.maxSteps == 2)
    try? FileManager.default.removeItem(atPath: path)
  }
}
