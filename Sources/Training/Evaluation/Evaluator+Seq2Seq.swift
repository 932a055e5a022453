// The seq2seq reward-model metrics of the Evaluator. Every validation correction example
// `[BOS] x [SEP_RESP] y_l [SEP_CORR] y_w [EOS]` yields a pair (x, y_w, y_l); the RM then reads
// (x, y_w) and (x, y_l + EOS) in the extraction layout of METHOD.md §2.4 and its greedy predictions
// at the response positions give agreement, first divergence and (through the extractor) token
// rewards. Identity examples (y_in equal to the target) carry no rejected response and are skipped.

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

  /// `[BOS] x [SEP_RESP] y_in [SEP_CORR] y` with y_in = y without its final EOS; returns the sequence
  /// and the position whose logits predict y[0].
  func extractionSequence(prompt: ArraySlice<UInt32>, response: [UInt32]) -> ([UInt32], Int) {
    let input = response.last == specials.eos ? Array(response.dropLast()) : response
    let context = [specials.bos] + prompt + [specials.sepResp] + input + [specials.sepCorr]
    return (context + response, context.count - 1)
  }

  /// Identity agreement, first divergence and preference accuracy on validation pairs.
  func evaluateSeq2Seq(model: TrainableModel, data: TrainingData) -> Seq2SeqRewardMetrics {
    let pairs = limited(data.examples.compactMap(responsePair))
    var agreements: [[Bool]] = []
    var rewards: [[Float]] = []
    // Rows alternate (x, y_w), (x, y_l) so each pair is one batch slot of two rows.
    let responses = pairs.flatMap { [($0.prompt, $0.chosen), ($0.prompt, $0.rejected)] }
    for start in stride(from: 0, to: responses.count, by: max(batchSize, 2) / 2 * 2) {
      let slice = responses[start..<min(responses.count, start + max(batchSize, 2) / 2 * 2)]
      let built = slice.map { extractionSequence(prompt: $0.0, response: $0.1) }
      let batch = PaddedBatch(
        examples: built.map {
          TrainingExample(
            tokens: $0.0, mask: [UInt8](repeating: 0, count: $0.0.count), documentIndex: 0)
        }, padID: specials.pad)
      let out = model.forward(
        tokens: batch.tokens, batchSize: batch.batchSize,
        sequenceLength: batch.sequenceLength)
      let greedy = greedyPredictions(
        logits: out.logits, positions: batch.tokens.count,
        vocabularySize: model.vocabularySize)
      for (row, (sequence, offset)) in built.enumerated() {
        let response = Array(sequence[(offset + 1)...])
        let predictions = (0..<response.count).map {
          UInt32(greedy[row * batch.sequenceLength + offset + $0])
        }
        agreements.append(zip(predictions, response).map { $0 == $1 })
        rewards.append(extractor?(predictions, response) ?? [])
      }
    }
    let chosenIndices = stride(from: 0, to: agreements.count, by: 2)
    let rejectedIndices = stride(from: 1, to: agreements.count, by: 2)
    return Seq2SeqRewardMetrics(
      chosenAgreement: chosenIndices.map { agreements[$0] },
      rejectedAgreement: rejectedIndices.map { agreements[$0] },
      chosenRewards: chosenIndices.map { rewards[$0] },
      rejectedRewards: rejectedIndices.map { rewards[$0] })
  }
}
