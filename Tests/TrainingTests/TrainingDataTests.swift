// Tests for TrainingData: the S7 drops with exact counts — pairs identical after truncation (K17),
// a response with no room (K18), sequences without any label token — and response lengths.

import Testing

@testable import Training

@Suite struct TrainingDataTests {
  func seq(_ tokens: [UInt32]) -> TrainingExample {
    var mask = [UInt8](repeating: 0, count: tokens.count)
    mask[tokens.count - 1] = 1
    return TrainingExample(tokens: tokens, mask: mask, documentIndex: 0)
  }

  /// K17: chosen and rejected identical after truncation are never trained on; K18: an empty
  /// response leaves no room for a completion.
  @Test func pairDropsByReason() throws {
    let sep: UInt32 = 3
    let documents: [[TrainingExample]] = [
      [seq([1, 9, 3, 5, 6, 2]), seq([1, 9, 3, 7, 2])],  // kept
      [seq([1, 9, 3, 5, 6]), seq([1, 9, 3, 5, 6])],  // identical after truncation
      [seq([1, 9, 3, 2]), seq([1, 9, 3, 7, 2])],  // chosen is only EOS
      [seq([1, 9, 3, 8, 2]), seq([1, 9, 3])],  // rejected is empty
      [seq([1, 8, 3, 5, 2]), seq([1, 8, 3, 6, 6, 2])],  // kept
    ]
    let data = try TrainingData.pairs(documents: documents, sepRespID: sep)
    #expect(data.pairs.count == 2)
    #expect(data.documentCount == 5)
    #expect(data.dropped == ["identical_after_truncation": 1, "no_room_for_completion": 2])
    #expect(data.unitCount == 2)
    #expect(data.longestSequence == 6)
    #expect(TrainingData.responseLength(data.pairs[1].rejected, sepRespID: sep) == 3)
  }

  @Test func pairDocumentMustHoldTwoSequences() {
    #expect(throws: TrainingError.self) {
      _ = try TrainingData.pairs(documents: [[seq([1, 3, 5, 2])]], sepRespID: 3)
    }
  }

  @Test func languageModelDropsSequencesWithoutLabels() {
    let labelled = TrainingExample(tokens: [1, 3, 5, 2], mask: [0, 0, 1, 1], documentIndex: 0)
    let unlabelled = TrainingExample(tokens: [1, 3, 5, 2], mask: [0, 0, 0, 0], documentIndex: 1)
    let onlyFirst = TrainingExample(tokens: [1, 3], mask: [1, 0], documentIndex: 2)
    let data = TrainingData.languageModel(documents: [[labelled], [unlabelled], [onlyFirst]])
    #expect(data.examples == [labelled])
    #expect(data.dropped == ["no_target_tokens": 2])
  }
}
