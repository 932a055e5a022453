// Tests for PaddedBatch: right padding, next-token targets, label weights from the mask, and the
// last-real-token position taken from lengths (KNOWN-FAULTS K19), plus the loss-mask invariant of
// METHOD.md §7.3 (changing the input response leaves the trained positions unchanged).

import Testing

@testable import Training

@Suite struct PaddedBatchTests {
  @Test func packsRightPaddedRowsWithShiftedTargets() {
    let batch = PaddedBatch(
      examples: [
        TrainingExample(tokens: [5, 6, 7], mask: [0, 1, 1], documentIndex: 0),
        TrainingExample(tokens: [5, 8], mask: [0, 1], documentIndex: 3),
      ], padID: 0)
    #expect(batch.batchSize == 2)
    #expect(batch.sequenceLength == 3)
    #expect(batch.tokens == [5, 6, 7, 5, 8, 0])
    #expect(batch.targets == [6, 7, 0, 8, 0, 0])
    #expect(batch.weights == [1, 1, 0, 1, 0, 0])
    #expect(batch.lengths == [3, 2])
    #expect(batch.documentIndices == [0, 3])
    #expect(batch.lastRealTokenPosition(row: 0) == 2)
    #expect(batch.lastRealTokenPosition(row: 1) == 1)
    #expect(batch.labelCount == 3)
    #expect(batch.realTokenCount == 5)
  }

  @Test func maskOnFirstTokenIsNeverALabel() {
    // Position 0 has nothing before it to predict it from.
    let example = TrainingExample(tokens: [9, 9], mask: [1, 0], documentIndex: 0)
    #expect(example.labelCount == 0)
    #expect(PaddedBatch(examples: [example], padID: 0).weights == [0, 0])
  }

  /// K19: the score position is the last index whose mask is 1, whatever the padding side.
  @Test func lastRealTokenFromAttentionMaskAnyPaddingSide() {
    #expect(lastRealTokenPosition(attentionMask: [1, 1, 0, 0]) == 1)
    #expect(lastRealTokenPosition(attentionMask: [0, 0, 1, 1]) == 3)
    #expect(lastRealTokenPosition(attentionMask: [0, 1, 1, 1, 0]) == 3)
    #expect(lastRealTokenPosition(attentionMask: [0, 0]) == nil)
  }

  /// K19: a row's last-token position does not depend on what else is in the batch.
  @Test func lastPositionIndependentOfBatchComposition() {
    let short = TrainingExample(tokens: [1, 8, 2], mask: [0, 0, 0], documentIndex: 0)
    let long = TrainingExample(
      tokens: [1, 8, 9, 9, 9, 2], mask: [0, 0, 0, 0, 0, 0], documentIndex: 1)
    let alone = PaddedBatch(examples: [short], padID: 0)
    let mixed = PaddedBatch(examples: [long, short], padID: 0)
    #expect(alone.lastRealTokenPosition(row: 0) == 2)
    #expect(mixed.lastRealTokenPosition(row: 1) == 2)
    #expect(mixed.tokens[6 + 2] == 2)
  }

  /// METHOD.md §7.3 loss mask: `[BOS] x [SEP_RESP] y_in [SEP_CORR] y_w [EOS]` is trained on y_w and
  /// EOS only; replacing y_in's tokens leaves the trained positions unchanged.
  @Test func changingInputResponseKeepsTrainedPositions() {
    let (bos, eos, sepResp, sepCorr): (UInt32, UInt32, UInt32, UInt32) = (1, 2, 3, 4)
    func example(input: [UInt32]) -> TrainingExample {
      let context = [bos, 10, 11, sepResp] + input + [sepCorr]
      let target: [UInt32] = [30, 31, eos]
      return TrainingExample(
        tokens: context + target,
        mask: [UInt8](repeating: 0, count: context.count) + [1, 1, 1], documentIndex: 0)
    }
    let a = PaddedBatch(examples: [example(input: [20, 21])], padID: 0)
    let b = PaddedBatch(examples: [example(input: [40, 41])], padID: 0)
    let trained = { (batch: PaddedBatch) in batch.weights.indices.filter { batch.weights[$0] != 0 }
    }
    #expect(trained(a) == [6, 7, 8])
    #expect(trained(b) == trained(a))
    #expect(a.targets[6] == 30 && a.targets[8] == Int32(eos))
  }
}
