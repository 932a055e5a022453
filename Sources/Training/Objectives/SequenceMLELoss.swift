// Sequence MLE (METHOD.md §1.3) and SFT next-token loss: teacher-forced cross-entropy on the label
// positions of a PaddedBatch, reduced as a token mean over the batch (default) or as per-sequence
// sums averaged over sequences. Shapes: logits (B, T, V); targets, weights (B, T).
// log-softmax is computed with the max subtracted, in Double, so a finite logit row always gives a
// finite loss; a batch without any label is refused before it gets here (K18).

#if canImport(Glibc)
import Glibc
#endif

/// Loss of one batch and the gradient of that loss with respect to the logits.
public struct TokenLossResult: Sendable {
  /// The reduced loss (nats per label token for token-mean).
  public var loss: Double
  /// Σ −log p(target) over label positions (nats), for perplexity over several batches.
  public var summedTokenLoss: Double
  /// Number of label positions.
  public var labelCount: Int
  /// Label positions whose argmax prediction equals the target.
  public var correctCount: Int
  /// (B, T, V) ∂loss/∂logits; zero on positions without a label.
  public var dLogits: [Float]
}

/// Per-position loss weights that turn Σ w·CE into the requested reduction: (B, T), 1/labels in
/// the batch for token-mean, 1/B for sequence-sum (Σ_t CE per row, averaged over rows); 0 off-label.
func lossWeights(for batch: PaddedBatch, normalization: LossNormalization) -> [Float] {
  switch normalization {
  case .tokenMean:
    let labels = Float(max(batch.labelCount, 1))
    return batch.weights.map { $0 / labels }
  case .sequenceSum:
    let rows = Float(batch.batchSize)
    return batch.weights.map { $0 / rows }
  }
}

/// Cross-entropy of `logits` against `batch.targets` on the label positions, with its logit gradient.
/// - Complexity: O(B · T · V).
public func sequenceMLELoss(
  logits: [Float], batch: PaddedBatch, vocabularySize: Int,
  normalization: LossNormalization
) -> TokenLossResult {
  let positions = batch.batchSize * batch.sequenceLength
  precondition(
    logits.count == positions * vocabularySize,
    "sequenceMLELoss: logits have \(logits.count) values, expected B·T·V")
  let weights = lossWeights(for: batch, normalization: normalization)
  var dLogits = [Float](repeating: 0, count: logits.count)
  var loss = 0.0
  var summed = 0.0
  var labels = 0
  var correct = 0
  logits.withUnsafeBufferPointer { z in
    for p in 0..<positions where batch.weights[p] != 0 {
      let row = UnsafeBufferPointer(rebasing: z[(p * vocabularySize)..<((p + 1) * vocabularySize)])
      let target = Int(batch.targets[p])
      var best = 0
      for v in 1..<vocabularySize where row[v] > row[best] { best = v }
      let maxLogit = Double(row[best])
      var sumExp = 0.0
      for v in 0..<vocabularySize { sumExp += exp(Double(row[v]) - maxLogit) }
      let logSumExp = maxLogit + log(sumExp)
      let tokenLoss = logSumExp - Double(row[target])
      loss += Double(weights[p]) * tokenLoss
      summed += tokenLoss
      labels += 1
      if best == target { correct += 1 }
      let w = Double(weights[p])
      for v in 0..<vocabularySize {
        let probability = exp(Double(row[v]) - logSumExp)
        dLogits[p * vocabularySize + v] = Float(w * (probability - (v == target ? 1 : 0)))
      }
    }
  }
  return TokenLossResult(
    loss: loss, summedTokenLoss: summed, labelCount: labels,
    correctCount: correct, dLogits: dLogits)
}

/// Greedy (argmax) prediction at every position of a (B, T, V) logit array; ties go to the lowest id.
public func greedyPredictions(logits: [Float], positions: Int, vocabularySize: Int) -> [Int32] {
  var out = [Int32](repeating: 0, count: positions)
  logits.withUnsafeBufferPointer { z in
    for p in 0..<positions {
      var best = 0
      let base = p * vocabularySize
      for v in 1..<vocabularySize where z[base + v] > z[base + best] { best = v }
      out[p] = Int32(best)
    }
  }
  return out
}
