// Sequence MLE (METHOD.md §1.3) and the SFT next-token loss on a PaddedBatch, through the engine's
// weighted cross-entropy: targets[b, t] = tokens[b, t + 1], weight = mask[t + 1]. The reduction is a
// token mean over the batch's label tokens (default) or per-sequence sums averaged over the rows.
// A batch without any label is refused before it gets here (TrainingData drops such sequences, K18).
// Shapes: logits (B, T, V); targets, weights (B, T).

import Transformer

/// Divisor of Σ w·CE for the requested reduction: label tokens (token-mean) or rows (sequence-sum).
public func lossNormalizer(for batch: PaddedBatch, normalization: LossNormalization) -> Float {
  switch normalization {
  case .tokenMean: return Float(max(batch.labelCount, 1))
  case .sequenceSum: return Float(batch.batchSize)
  }
}

/// Runs `model` forward on `batch` and computes the sequence-MLE loss; the logit gradients are left
/// in `model.logitGradients` for `backward`.
/// - Returns: the reduced loss (nats per label token for token-mean).
@discardableResult
public func sequenceMLELoss(model: GPTModel, batch: PaddedBatch, normalization: LossNormalization)
  -> Float
{
  batch.tokens.withUnsafeBufferPointer {
    model.forward(tokens: $0, batchSize: batch.batchSize, sequenceLength: batch.sequenceLength)
  }
  let normalizer = lossNormalizer(for: batch, normalization: normalization)
  return batch.targets.withUnsafeBufferPointer { targets in
    batch.weights.withUnsafeBufferPointer { weights in
      model.crossEntropy(targets: targets, weights: weights, normalizer: normalizer)
    }
  }
}

/// Greedy (argmax) prediction at every position of (positions, V) logits; ties go to the lowest id.
public func greedyPredictions(logits: UnsafeBufferPointer<Float>, vocabularySize: Int) -> [Int32] {
  let positions = logits.count / vocabularySize
  var out = [Int32](repeating: 0, count: positions)
  for p in 0..<positions {
    var best = 0
    let base = p * vocabularySize
    for v in 1..<vocabularySize where logits[base + v] > logits[base + best] { best = v }
    out[p] = Int32(best)
  }
  return out
}
