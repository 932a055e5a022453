// The seq2seq reward-model metrics of the Evaluator. Every validation correction example
// `[BOS] x [SEP_RESP] y_l [SEP_CORR] y_w [EOS]` yields a pair (x, y_w, y_l); the RM then reads
// (x, y_w) and (x, y_l + EOS) in the extraction layout of METHOD.md §2.4 (Seq2SeqRewardInput,
// Training/Rewards) and its greedy predictions there give agreement, first divergence and
// (through the extractor) token rewards. Identity examples carry no rejected response: skipped.

import BPE
import Transformer

extension Evaluator {
  /// A validation preference pair recovered from a correction example.
  struct ResponsePair {
    var prompt: ArraySlice<UInt32>
    var chosen: [UInt32]
    var rejected: [UInt32]
  }

  /// Splits a correction example at its first SEP_RESP and SEP_CORR (special ids never occur in
  /// text); nil for identity examples and sequences without both separators.
  func responsePair(_ example: TrainingExample) -> ResponsePair? {
    let tokens = example.tokens
    guard let sepResp = tokens.firstIndex(of: specials.sepResp),
      let sepCorr = tokens[(sepResp + 1)...].firstIndex(of: specials.sepCorr)
    else { return nil }
    let input = Array(tokens[(sepResp + 1)..<sepCorr])
    let target = Array(tokens[(sepCorr + 1)...])
    let targetText = target.last == specials.eos ? Array(target.dropLast()) : target
    guard input != targetText, !target.isEmpty else { return nil }
    return ResponsePair(
      prompt: tokens[1..<sepResp], chosen: target, rejected: input + [specials.eos])
  }

  /// Identity agreement, first divergence and preference accuracy on validation pairs.
  func evaluateSeq2Seq(model: GPTModel, data: TrainingData) throws -> Seq2SeqRewardMetrics {
    let pairs = limited(data.examples.compactMap(responsePair))
    var agreements: [[Bool]] = []
    var rewards: [[Float]] = []
    // Rows alternate (x, y_w), (x, y_l); an even row count keeps each pair in one batch.
    let responses = pairs.flatMap { [($0.prompt, $0.chosen), ($0.prompt, $0.rejected)] }
    let rows = max(batchSize / 2, 1) * 2
    for start in stride(from: 0, to: responses.count, by: rows) {
      let inputs = try responses[start..<min(responses.count, start + rows)].map {
        try Seq2SeqRewardInput(
          prompt: Array($0.0), response: $0.1, specials: specials,
          maxLength: model.config.contextLength)
      }
      let batch = PaddedBatch(
        examples: inputs.map {
          TrainingExample(
            tokens: $0.tokens, mask: [UInt8](repeating: 0, count: $0.tokens.count),
            documentIndex: 0)
        }, padID: specials.pad)
      batch.tokens.withUnsafeBufferPointer {
        model.forward(tokens: $0, batchSize: batch.batchSize, sequenceLength: batch.sequenceLength)
      }
      let greedy = greedyPredictions(
        logits: model.logits, vocabularySize: model.config.vocabularySize)
      for (row, input) in inputs.enumerated() {
        let response = responses[start + row].1
        let predictions = (0..<response.count).map {
          UInt32(greedy[row * batch.sequenceLength + input.predictionOffset + $0])
        }
        agreements.append(zip(predictions, response).map { $0 == $1 })
        rewards.append(
          tokenScores(response: response, predictions: predictions, config: rewardConfig).scores)
      }
    }
    let chosen = stride(from: 0, to: agreements.count, by: 2)
    let rejected = stride(from: 1, to: agreements.count, by: 2)
    return Seq2SeqRewardMetrics(
      chosenAgreement: chosen.map { agreements[$0] },
      rejectedAgreement: rejected.map { agreements[$0] },
      chosenRewards: chosen.map { rewards[$0] },
      rejectedRewards: rejected.map { rewards[$0] })
  }
}
