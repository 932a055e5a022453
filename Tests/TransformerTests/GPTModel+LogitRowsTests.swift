// The LM head on selected positions against the full head (the reference): the same logits at
// those positions, and the same parameter gradients as a full (B, T, V) dLogits that is zero
// everywhere else.

import Testing

@testable import Transformer

@Suite(.serialized) struct GPTModelLogitRowsTests {
  let B = 3, T = 7
  // Unordered, skipping most positions, one position twice (its gradients add up).
  let positions = [20, 3, 4, 5, 13, 0, 4]

  func model() -> GPTModel {
    let config = ModelConfig(
      vocabularySize: 37, contextLength: 8, layerCount: 2, headCount: 2, channelCount: 8,
      hasValueHead: true)
    let m = GPTModel(config: config, seed: 11)
    for i in 0..<m.parameterCount { m.parameters.storage[i] *= 10 }
    return m
  }

  @Test func selectedLogitsEqualTheFullHeadAtThosePositions() {
    setThreadCount(1)
    let m = model()
    let V = m.config.vocabularySize
    let tokens = randomTokens(B * T, vocabulary: V, seed: 3)
    tokens.withUnsafeBufferPointer { m.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    let full = Array(m.logits)
    let values = Array(m.values)
    tokens.withUnsafeBufferPointer {
      m.forward(tokens: $0, batchSize: B, sequenceLength: T, logitPositions: positions)
    }
    #expect(m.logits.count == positions.count * V)
    for (r, position) in positions.enumerated() {
      for v in 0..<V {
        let expected = full[position * V + v]
        #expect(abs(m.logits[r * V + v] - expected) <= 1e-5 * max(1, abs(expected)))
      }
    }
    #expect(Array(m.values) == values)
  }

  @Test func selectedLogitGradientsEqualTheFullHeadWithZerosElsewhere() {
    setThreadCount(1)
    let m = model()
    let V = m.config.vocabularySize
    let tokens = randomTokens(B * T, vocabulary: V, seed: 5)
    var rng = SeededGenerator(seed: 9)
    let dSelected = (0..<(positions.count * V)).map { _ in Float(rng.next() % 2001) / 1000 - 1 }
    let dValues = (0..<(B * T)).map { Float($0 % 5) / 4 - 0.5 }
    // Reference: the full head, dLogits scattered (summed where a position repeats).
    var dFull = [Float](repeating: 0, count: B * T * V)
    for (r, position) in positions.enumerated() {
      for v in 0..<V { dFull[position * V + v] += dSelected[r * V + v] }
    }
    tokens.withUnsafeBufferPointer { m.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    m.zeroGradients()
    dFull.withUnsafeBufferPointer { d in
      dValues.withUnsafeBufferPointer { m.backward(dLogits: d, dValues: $0) }
    }
    let expected = Array(m.gradients.storage)
    tokens.withUnsafeBufferPointer {
      m.forward(tokens: $0, batchSize: B, sequenceLength: T, logitPositions: positions)
    }
    m.zeroGradients()
    dSelected.withUnsafeBufferPointer { d in
      dValues.withUnsafeBufferPointer { m.backward(dLogits: d, dValues: $0) }
    }
    // Float sums in another order (the scatter adds per row): relative to the largest gradient.
    let scale = expected.map(abs).max()!
    var worst: Float = 0
    for (got, want) in zip(m.gradients.storage, expected) { worst = max(worst, abs(got - want)) }
    #expect(worst <= 1e-6 * scale, "worst \(worst), largest gradient \(scale)")
    #expect(expected.contains { $0 != 0 })
  }

  @Test func noPositionsMeansNoLogitsAndOnlyValueGradients() {
    setThreadCount(1)
    let m = model()
    let tokens = randomTokens(B * T, vocabulary: m.config.vocabularySize, seed: 6)
    tokens.withUnsafeBufferPointer {
      m.forward(tokens: $0, batchSize: B, sequenceLength: T, logitPositions: [])
    }
    #expect(m.logits.isEmpty)
    m.zeroGradients()
    let dValues = [Float](repeating: 1, count: B * T)
    [Float]().withUnsafeBufferPointer { d in
      dValues.withUnsafeBufferPointer { m.backward(dLogits: d, dValues: $0) }
    }
    #expect(m.gradient(named: "score.weight")!.contains { $0 != 0 })
  }
}
