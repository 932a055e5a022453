// The row-parallel log-probability, entropy and gradient passes against the serial references
// (`gatherResponseLogProbs`, `accumulateLogProbAndEntropyGradient` row by row), bit for bit, at
// two threads, on ragged responses and a permuted subset of rows.

import BPE
import Testing
import Transformer

@testable import Training

@Suite struct ResponseLogitRowsTests {
  static let vocabulary = 300
  /// Ragged responses (1…7 tokens), 41 real tokens in all, so two threads get rows each.
  static let responses: [[TokenID]] = [
    [5, 9, 2], [7], [11, 3, 299, 0, 8, 8, 1], [4, 4], [120, 6, 7, 8, 9], [2, 3, 5, 7, 11, 13],
    [1, 2, 3, 4, 5, 6, 7], [250, 251, 252, 253, 254], [17, 19, 23, 29, 31],
  ]
  static let width = 7

  /// Compact (R, V) logits for `rows`, spread wide enough for peaked and flat rows.
  static func logits(rows: [Int], seed: UInt64) -> [Float] {
    var generator = SplitMix64(seed: seed)
    let count = rows.reduce(0) { $0 + responses[$1].count } * vocabulary
    return (0..<count).map { i in (generator.nextFloat() * 2 - 1) * Float(1 + i % 7) * 3 }
  }

  @Test(arguments: [Float(1), 0.7])
  func logProbsAndEntropiesEqualTheSerialGather(temperature: Float) {
    setThreadCount(2)
    let rows = [3, 0, 8, 2, 6, 1, 5, 7, 4]
    let logits = Self.logits(rows: rows, seed: 61)
    let packed = PackedSequences(
      prompts: rows.map { _ in [1] }, responses: Self.responses, pad: 0, rows: rows)
    for withEntropy in [true, false] {
      let serial = gatherResponseLogProbs(
        logits: logits, packed: packed, responses: Self.responses, rows: rows, width: Self.width,
        vocabularySize: Self.vocabulary, temperature: temperature, withEntropy: withEntropy,
        compact: true)
      let parallel = logits.withUnsafeBufferPointer {
        responseLogProbs(
          logits: $0, responses: Self.responses, rows: rows, width: Self.width,
          vocabularySize: Self.vocabulary, temperature: temperature, withEntropy: withEntropy)
      }
      #expect(parallel.logProbs == serial.logProbs, "withEntropy \(withEntropy)")
      #expect(parallel.entropies == serial.entropies, "withEntropy \(withEntropy)")
      #expect(parallel.statistics.count == (withEntropy ? 41 : 0))
    }
  }

  @Test(arguments: [(Float(1), Float(0)), (0.7, -0.01)])
  func gradientsEqualTheSerialRowLoop(temperature: Float, entropyWeight: Float) {
    setThreadCount(2)
    let rows = [8, 1, 6, 0, 2, 7, 4, 3, 5]
    let V = Self.vocabulary
    let logits = Self.logits(rows: rows, seed: 62)
    var generator = SplitMix64(seed: 63)
    let weights = (0..<(rows.count * Self.width)).map { _ in generator.nextFloat() - 0.5 }
    // Serial reference: the loop the trainer ran before, statistics recomputed per row.
    var serial = [Float](repeating: 0.25, count: logits.count)
    serial.withUnsafeMutableBufferPointer { d in
      logits.withUnsafeBufferPointer { z in
        var k = 0
        for (row, index) in rows.enumerated() {
          for (t, token) in Self.responses[index].enumerated() {
            accumulateLogProbAndEntropyGradient(
              dLogits: UnsafeMutableBufferPointer(rebasing: d[(k * V)..<((k + 1) * V)]),
              logits: UnsafeBufferPointer(rebasing: z[(k * V)..<((k + 1) * V)]),
              token: Int(token), logProbWeight: weights[row * Self.width + t],
              entropyWeight: entropyWeight, temperature: temperature)
            k += 1
          }
        }
      }
    }
    var parallel = [Float](repeating: 0.25, count: logits.count)
    let statistics = logits.withUnsafeBufferPointer {
      responseLogProbs(
        logits: $0, responses: Self.responses, rows: rows, width: Self.width, vocabularySize: V,
        temperature: temperature, withEntropy: true
      ).statistics
    }
    parallel.withUnsafeMutableBufferPointer { d in
      logits.withUnsafeBufferPointer { z in
        accumulateResponseGradients(
          dLogits: d, logits: z, statistics: statistics, responses: Self.responses, rows: rows,
          width: Self.width, vocabularySize: V, logProbWeights: weights,
          entropyWeight: entropyWeight, temperature: temperature)
      }
    }
    #expect(parallel == serial)
  }
}
