// Tiny overfit runs (issue 7 "Tests"): on 8 pairs, seq2seq reaches ≥ 99% target-token accuracy and
// identity agreement 8/8; scalar reaches 100% pairwise accuracy; sft reproduces the responses
// greedily. Plus the non-finite-loss stop (K18) and the loss-mask invariant through the model.

import BPE
import Testing
import Transformer

@testable import Training

@Suite(.serialized) struct RewardTrainerTests {
  typealias Tiny = TinyPreferenceData

  func train(_ trainer: RewardTrainer) throws -> [TrainingStepRecord] {
    var records: [TrainingStepRecord] = []
    while !trainer.isFinished { records.append(try trainer.trainStep()) }
    return records
  }

  @Test func seq2seqOverfitsEightPairs() throws {
    let data = TrainingData.languageModel(documents: Tiny.seq2seqDocuments())
    #expect(data.examples.count == 16)
    let model = Tiny.model()
    let records = try train(
      try Tiny.trainer(Tiny.config(.seq2seq, steps: 100), model: model, data: data))
    #expect(records.last!.loss < records.first!.loss)
    let result = try Tiny.evaluator(.seq2seq).evaluate(model: model, data: data, step: 100)
    #expect(result.tokenAccuracy! >= 0.99)
    let s2s = try #require(result.seq2seq)
    #expect(s2s.pairCount == 8)
    #expect(s2s.identityAgreement == 1)
  }

  @Test func scalarOverfitsEightPairs() throws {
    let data = try TrainingData.pairs(
      documents: Tiny.pairDocuments(), sepRespID: Tiny.specials.sepResp)
    #expect(data.pairs.count == 8)
    let model = Tiny.model(valueHead: true)
    var config = Tiny.config(.scalar, steps: 60)
    config.learningRate = 3e-3
    _ = try train(try Tiny.trainer(config, model: model, data: data))
    let result = try Tiny.evaluator(.scalar).evaluate(model: model, data: data, step: 60)
    let m = try #require(result.scalar)
    #expect(m.accuracy == 1)
    #expect(m.tieCount == 0)
    #expect(m.meanMargin > 0)
  }

  @Test func sftReproducesResponsesGreedily() throws {
    let data = TrainingData.languageModel(documents: Tiny.sftDocuments())
    let model = Tiny.model()
    _ = try train(try Tiny.trainer(Tiny.config(.sft, steps: 80), model: model, data: data))
    for (x, w, _) in Tiny.triples {
      let prompt = ([Tiny.specials.bos] + x + [Tiny.specials.sepResp]).map { Int32($0) }
      let out = generate(
        model: model, prompts: [prompt],
        options: SamplingOptions(
          maxNewTokens: 8, temperature: 0, topK: 0, topP: 1, eosID: Int32(Tiny.specials.eos),
          seed: 1))
      #expect(out[0].tokens == (w + [Tiny.specials.eos]).map { Int32($0) })
    }
  }

  /// K18: a diverged step is refused with the step and the batch's documents, weights untouched.
  @Test func nonFiniteLossStopsWithBatchDocuments() throws {
    let data = TrainingData.languageModel(documents: Tiny.sftDocuments())
    let model = Tiny.model()
    let trainer = try Tiny.trainer(Tiny.config(.sft, steps: 2), model: model, data: data)
    model.parameter(named: "transformer.wte.weight")![5] = .nan
    let before = Array(model.parameters.storage)
    #expect(throws: TrainingError.self) { _ = try trainer.trainStep() }
    do {
      _ = try trainer.trainStep()
    } catch let error as TrainingError {
      guard case .nonFiniteLoss(let step, let documents) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(step == 1)
      #expect(documents.sorted() == Array(0..<8))
    }
    let after = Array(model.parameters.storage)
    #expect(zip(before, after).allSatisfy { $0.isNaN && $1.isNaN || $0 == $1 })
  }

  @Test func emptyDataIsAClearError() throws {
    let data = TrainingData.languageModel(documents: [
      [TrainingExample(tokens: [1, 3, 2], mask: [0, 0, 0], documentIndex: 0)]
    ])
    #expect(data.dropped == ["no_target_tokens": 1])
    #expect(throws: TrainingError.self) {
      _ = try Tiny.trainer(Tiny.config(.sft, steps: 1), model: Tiny.model(), data: data)
    }
  }
}
