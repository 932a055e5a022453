// The per-token passes over the logits of every scored response position, split across the
// engine's threads by rows: log π(y_t) (and the entropy) for the rollout and the update, and the
// gradient of g·log π(y_t) + h·H_t for the update.
// Shapes: logits, dLogits (R, V) compact, row k = the k-th real response token in row order (the
// order of `PackedSequences.responsePositions`); per-token outputs (rows, width), 0 on padding.
// Performance notes: each logits row is a pass over V values in Double with glibc exp (V 8192,
// R ≈ 500 in the PPO benchmark: the largest non-GEMM work of the reward and update phases, and
// it ran on one thread). Rows are independent, so they are split into contiguous chunks, one
// per thread, and every row runs exactly the code of the serial references
// (`tokenLogProbability`, `tokenLogProbabilityAndEntropy`, `accumulateLogProbAndEntropyGradient`):
// the results are bit-identical at any thread count. The update keeps each row's softmax
// statistics from its log-probability pass and hands them to the gradient, one exp pass fewer
// per row (the statistics are the same numbers `accumulateLogProbAndEntropyGradient` computes).

import BPE
import Transformer

/// Where each compact logits row of `rows` lands: its (rows, width) slot and the token it scores.
func responseTokenSlots(
  responses: [[TokenID]], rows: [Int], width: Int
) -> [(slot: Int, token: Int)] {
  var slots: [(slot: Int, token: Int)] = []
  for (row, index) in rows.enumerated() {
    for (t, token) in responses[index].enumerated() { slots.append((row * width + t, Int(token))) }
  }
  return slots
}

/// log π(y_t) at `temperature` (and the entropy with `withEntropy`) of every real response token,
/// from compact (R, V) logits, row-parallel; the same numbers as `gatherResponseLogProbs(…,
/// compact: true)`. With `withEntropy`, also each row's softmax statistics, for
/// `accumulateResponseGradients`.
public func responseLogProbs(
  logits: UnsafeBufferPointer<Float>, responses: [[TokenID]], rows: [Int], width: Int,
  vocabularySize V: Int, temperature: Float, withEntropy: Bool
) -> (logProbs: [Float], entropies: [Float], statistics: [SoftmaxRowStatistics]) {
  let slots = responseTokenSlots(responses: responses, rows: rows, width: width)
  let R = slots.count
  precondition(
    logits.count >= R * V,
    "responseLogProbs: \(logits.count) logits for \(R) response tokens of V = \(V)")
  var logProbs = [Float](repeating: 0, count: rows.count * width)
  var entropies = [Float](repeating: 0, count: withEntropy ? rows.count * width : 0)
  let empty = SoftmaxRowStatistics(maxLogit: 0, logSum: 0, entropy: 0)
  var statistics = [SoftmaxRowStatistics](repeating: empty, count: withEntropy ? R : 0)
  let scale = Double(1 / temperature)
  logProbs.withUnsafeMutableBufferPointer { logProbOut in
    entropies.withUnsafeMutableBufferPointer { entropyOut in
      statistics.withUnsafeMutableBufferPointer { statisticsOut in
        // Each chunk writes only its own rows' slots (one slot per row) and statistics.
        parallelFor(R, grain: 8) { range in
          for k in range {
            let (slot, token) = slots[k]
            let z = UnsafeBufferPointer(rebasing: logits[(k * V)..<((k + 1) * V)])
            if withEntropy {
              let s = softmaxStatistics(z, scale: scale)
              statisticsOut[k] = s
              logProbOut[slot] = Float(Double(z[token]) * scale - s.maxLogit - s.logSum)
              entropyOut[slot] = Float(s.entropy)
            } else {
              logProbOut[slot] = tokenLogProbability(token, logits: z, temperature: temperature)
            }
          }
        }
      }
    }
  }
  return (logProbs, entropies, statistics)
}

/// dLogits (R, V) += ∂(g_t·log π(y_t) + h·H_t)/∂z for every real response token, row-parallel,
/// with g_t = `logProbWeights` (rows, width) and the statistics of `responseLogProbs`; the same
/// numbers as `accumulateLogProbAndEntropyGradient` row by row.
public func accumulateResponseGradients(
  dLogits: UnsafeMutableBufferPointer<Float>, logits: UnsafeBufferPointer<Float>,
  statistics: [SoftmaxRowStatistics], responses: [[TokenID]], rows: [Int], width: Int,
  vocabularySize V: Int, logProbWeights: [Float], entropyWeight: Float, temperature: Float
) {
  let slots = responseTokenSlots(responses: responses, rows: rows, width: width)
  let R = slots.count
  precondition(
    statistics.count == R && dLogits.count >= R * V && logits.count >= R * V,
    "accumulateResponseGradients: \(R) response tokens need \(R) statistics and (R, V) logits")
  // Each chunk writes only its own rows of dLogits.
  parallelFor(R, grain: 8) { range in
    for k in range {
      let (slot, token) = slots[k]
      accumulateLogProbAndEntropyGradient(
        dLogits: UnsafeMutableBufferPointer(rebasing: dLogits[(k * V)..<((k + 1) * V)]),
        logits: UnsafeBufferPointer(rebasing: logits[(k * V)..<((k + 1) * V)]), token: token,
        logProbWeight: logProbWeights[slot], entropyWeight: entropyWeight,
        temperature: temperature, statistics: statistics[k])
    }
  }
}
