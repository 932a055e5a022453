// Tests for the scalar objective's plumbing: rewards are read at each row's last real token from the
// stored lengths (K19), the value gradient lands only there, and with a real model a sequence's
// score does not depend on the rows padded around it.

import BPE
import Testing
import Transformer

@testable import Training

@Suite struct ScalarRewardLossTests {
  @Test func rewardsAtLastRealTokenAndGradientOnlyThere() {
    let chosen = TrainingExample(tokens: [1, 5, 2], mask: [0, 0, 1], documentIndex: 0)
    let rejected = TrainingExample(tokens: [1, 6, 7, 2], mask: [0, 0, 0, 1], documentIndex: 0)
    let batch = pairBatch([(chosen, rejected)], padID: 0)
    #expect(batch.sequenceLength == 4)
    let values: [Float] = [0.1, 0.2, 3.0, 9.9, 0.4, 0.5, 0.6, 1.0]  // row 0 pad holds 9.9
    let (result, rewards, dValues) = scalarRewardLoss(
      values: values, batch: batch, magnitudeCoefficient: 0)
    #expect(rewards == [3.0, 1.0])
    #expect(abs(result.loss - 0.126_928) < 1e-6)  // softplus(−2)
    #expect(dValues.indices.filter { dValues[$0] != 0 } == [2, 7])
  }

  /// K19: a score is the same alone and next to a longer row (right padding, causal attention).
  @Test func scoreIndependentOfBatchComposition() {
    setThreadCount(1)
    let model = GPTModel(
      config: ModelConfig(
        vocabularySize: 16, contextLength: 16, layerCount: 1, headCount: 2, channelCount: 8,
        hasValueHead: true), seed: 3)
    let short = TrainingExample(tokens: [1, 5, 3, 6, 2], mask: [0, 0, 0, 0, 1], documentIndex: 0)
    let long = TrainingExample(
      tokens: [1, 7, 8, 9, 3, 10, 11, 12, 2], mask: [0, 0, 0, 0, 0, 0, 0, 0, 1], documentIndex: 1)
    func scores(_ examples: [TrainingExample]) -> [Float] {
      let batch = PaddedBatch(examples: examples, padID: 0)
      batch.tokens.withUnsafeBufferPointer {
        model.forward(tokens: $0, batchSize: batch.batchSize, sequenceLength: batch.sequenceLength)
      }
      return scalarRewards(values: Array(model.values), batch: batch)
    }
    let alone = scores([short])[0]
    let mixed = scores([long, short])
    #expect(abs(alone - mixed[1]) < 1e-5)
    #expect(abs(scores([long])[0] - mixed[0]) < 1e-5)
  }
}
