// Whole-model checks on a tiny GPT-2: gradients against finite differences (loss and value
// head), determinism, copies, value-head and vocabulary edits, and a short overfit run.

import Testing

@testable import Transformer

#if canImport(Glibc)
import Glibc
#endif

/// A 2-layer model small enough for finite differences in a debug build.
func tinyConfig(valueHead: Bool = false) -> ModelConfig {
  ModelConfig(
    vocabularySize: 11, contextLength: 8, layerCount: 2, headCount: 2, channelCount: 8,
    hasValueHead: valueHead)
}

/// Seeded tokens in 0..<V.
func randomTokens(_ count: Int, vocabulary V: Int, seed: UInt64) -> [Int32] {
  var rng = SeededGenerator(seed: seed)
  return (0..<count).map { _ in Int32(rng.next() % UInt64(V)) }
}

@Suite(.serialized) struct GPTModelTests {
  let B = 2, T = 5

  /// Loss of the model on a fixed batch (forward only).
  func loss(_ model: GPTModel, tokens: [Int32], targets: [Int32], weights: [Float]) -> Double {
    tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    return Double(
      targets.withUnsafeBufferPointer { t in
        weights.withUnsafeBufferPointer { w in model.crossEntropy(targets: t, weights: w) }
      })
  }

  @Test func languageModelGradientsMatchFiniteDifferences() {
    setThreadCount(2)
    let model = GPTModel(config: tinyConfig(), seed: 7)
    // Larger weights than GPT-2's 0.02 so every path carries a measurable gradient.
    for i in 0..<model.parameterCount { model.parameters.storage[i] *= 10 }
    let tokens = randomTokens(B * T, vocabulary: 11, seed: 1)
    let targets = randomTokens(B * T, vocabulary: 11, seed: 2)
    let weights: [Float] = [1, 1, 0, 1, 0.5, 1, 0, 2, 1, 1]
    _ = loss(model, tokens: tokens, targets: targets, weights: weights)
    model.zeroGradients()
    model.backward(dLogits: model.logitGradients, dValues: nil)
    for entry in model.layout.entries {
      let view = entry.view
      let picks = sampleIndices(view.count).prefix(6)
      for i in picks {
        let index = view.offset + i
        let saved = model.parameters.storage[index]
        let h: Float = 2e-3
        model.parameters.storage[index] = saved + h
        let plus = loss(model, tokens: tokens, targets: targets, weights: weights)
        model.parameters.storage[index] = saved - h
        let minus = loss(model, tokens: tokens, targets: targets, weights: weights)
        model.parameters.storage[index] = saved
        let numeric = Float((plus - minus) / Double(2 * h))
        let analytic = model.gradients.storage[index]
        #expect(
          abs(numeric - analytic) <= 2e-2 * max(abs(numeric), 2e-2),
          "\(entry.name)[\(i)]: analytic \(analytic), numeric \(numeric)")
      }
    }
  }

  @Test func valueHeadGradientsMatchFiniteDifferences() {
    setThreadCount(1)
    let model = GPTModel(config: tinyConfig(valueHead: true), seed: 8)
    for i in 0..<model.parameterCount { model.parameters.storage[i] *= 10 }
    let tokens = randomTokens(B * T, vocabulary: 11, seed: 3)
    let r = randomArray(B * T, seed: 4)
    func objective() -> Double {
      tokens.withUnsafeBufferPointer {
        model.forward(tokens: $0, batchSize: B, sequenceLength: T, computeLogits: false)
      }
      return probe(Array(model.values), r)
    }
    _ = objective()
    model.zeroGradients()
    r.withUnsafeBufferPointer { model.backward(dLogits: nil, dValues: $0) }
    for name in [
      "score.weight", "transformer.h.1.mlp.c_fc.weight", "transformer.wte.weight",
      "transformer.h.0.ln_1.bias",
    ] {
      let view = model.layout.entries.first { $0.name == name }!.view
      for i in sampleIndices(view.count).prefix(6) {
        let index = view.offset + i
        let saved = model.parameters.storage[index]
        model.parameters.storage[index] = saved + 2e-3
        let plus = objective()
        model.parameters.storage[index] = saved - 2e-3
        let minus = objective()
        model.parameters.storage[index] = saved
        let numeric = Float((plus - minus) / 4e-3)
        let analytic = model.gradients.storage[index]
        #expect(
          abs(numeric - analytic) <= 2e-2 * max(abs(numeric), 2e-2),
          "\(name)[\(i)]: analytic \(analytic), numeric \(numeric)")
      }
    }
  }

  @Test func forwardIsDeterministicAndCopiesAreIndependent() {
    setThreadCount(2)
    let model = GPTModel(config: tinyConfig(), seed: 9)
    let twin = GPTModel(config: tinyConfig(), seed: 9)
    #expect(Array(model.parameters.storage) == Array(twin.parameters.storage))
    let tokens = randomTokens(B * T, vocabulary: 11, seed: 5)
    tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    let first = Array(model.logits)
    let copy = model.copy()
    copy.parameters.storage[0] += 1
    tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    #expect(Array(model.logits) == first)
    tokens.withUnsafeBufferPointer { copy.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    #expect(Array(copy.logits) != first)
  }

  /// One forward + cross-entropy + backward on (b, t); returns loss, logits, values, gradients.
  func step(_ model: GPTModel, b: Int, t: Int, seed: UInt64) -> (Float, [Float], [Float], [Float]) {
    let tokens = randomTokens(b * t, vocabulary: 11, seed: seed)
    let targets = randomTokens(b * t, vocabulary: 11, seed: seed + 1)
    let weights = (0..<b * t).map { Float($0 % 3) }
    tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: b, sequenceLength: t) }
    let loss = targets.withUnsafeBufferPointer { tg in
      weights.withUnsafeBufferPointer { model.crossEntropy(targets: tg, weights: $0) }
    }
    let dValues = randomArray(b * t, seed: seed + 2)
    model.zeroGradients()
    dValues.withUnsafeBufferPointer { model.backward(dLogits: model.logitGradients, dValues: $0) }
    return (loss, Array(model.logits), Array(model.values), Array(model.gradients.storage))
  }

  @Test func smallerShapeReusesTheArenaWithIdenticalResults() {
    setThreadCount(2)
    let used = GPTModel(config: tinyConfig(valueHead: true), seed: 12)
    let fresh = GPTModel(config: tinyConfig(valueHead: true), seed: 12)
    _ = step(used, b: 3, t: 8, seed: 40)
    let arena = used.activations!.arena
    let scratch = used.activations!.scratch
    let reused = step(used, b: 2, t: 5, seed: 50)
    #expect(used.activations!.arena === arena)
    #expect(used.activations!.scratch === scratch)
    let expected = step(fresh, b: 2, t: 5, seed: 50)
    #expect(reused.0 == expected.0)
    #expect(reused.1 == expected.1)
    #expect(reused.2 == expected.2)
    #expect(reused.3 == expected.3)
    // A shape beyond the first arena's 1.5× headroom allocates anew.
    _ = step(used, b: 6, t: 8, seed: 60)
    #expect(used.activations!.arena !== arena)
  }

  @Test func addValueHeadKeepsTheLanguageModel() {
    setThreadCount(1)
    let model = GPTModel(config: tinyConfig(), seed: 10)
    let tokens = randomTokens(B * T, vocabulary: 11, seed: 6)
    tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    let before = Array(model.logits)
    model.addValueHead(seed: 3)
    #expect(model.config.hasValueHead)
    #expect(model.parameterCount == tinyConfig(valueHead: true).parameterCount)
    tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    #expect(Array(model.logits) == before)
    #expect(model.values.count == B * T)
  }

  @Test func resizeVocabularyKeepsOldLogitsAndUsesTheMeanRow() {
    setThreadCount(1)
    let model = GPTModel(config: tinyConfig(), seed: 11)
    let tokens = randomTokens(B * T, vocabulary: 11, seed: 7)
    tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    let before = Array(model.logits)
    let wte = Array(model.parameter(named: "transformer.wte.weight")!)
    model.resizeVocabulary(to: 14)
    #expect(model.config.vocabularySize == 14)
    let grown = model.parameter(named: "transformer.wte.weight")!
    for c in 0..<8 {
      var mean: Float = 0
      for row in 0..<11 { mean += wte[row * 8 + c] }
      #expect(abs(grown[12 * 8 + c] - mean / 11) < 1e-6)
    }
    tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    let after = Array(model.logits)
    for row in 0..<(B * T) {
      for v in 0..<11 { #expect(abs(after[row * 14 + v] - before[row * 11 + v]) < 1e-5) }
    }
  }

  @Test func overfitsOneBatch() {
    setThreadCount(1)
    let config = ModelConfig(
      vocabularySize: 16, contextLength: 8, layerCount: 2, headCount: 2, channelCount: 16)
    let model = GPTModel(config: config, seed: 12)
    let optimizer = AdamW(model: model, learningRate: 1e-2, weightDecay: 0.0)
    let tokens = randomTokens(2 * 8, vocabulary: 16, seed: 8)
    var targets = tokens
    targets.removeFirst()
    targets.append(0)
    var weights = [Float](repeating: 1, count: 16)
    weights[7] = 0
    weights[15] = 0
    var first: Float = 0, last: Float = 0
    for step in 0..<60 {
      tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: 2, sequenceLength: 8) }
      let loss = targets.withUnsafeBufferPointer { t in
        weights.withUnsafeBufferPointer { w in model.crossEntropy(targets: t, weights: w) }
      }
      if step == 0 { first = loss }
      last = loss
      model.zeroGradients()
      model.backward(dLogits: model.logitGradients, dValues: nil)
      model.clipGradients(maxNorm: 1)
      optimizer.step()
    }
    #expect(abs(first - Float(log(16.0))) < 0.1)  // starts near uniform
    #expect(last < 0.1)
  }

  /// The value head's weight gradient, split by column blocks across two threads, equals the
  /// serial row loop bit for bit (rows with a zero weight skipped in both).
  @Test func weightedColumnSumSplitMatchesTheSerialLoop() {
    setThreadCount(2)
    let (rows, columns) = (37, 100)
    let src = randomArray(rows * columns, seed: 41)
    var scale = randomArray(rows, seed: 42)
    for n in stride(from: 0, to: rows, by: 3) { scale[n] = 0 }
    var fast = randomArray(columns, seed: 43), slow = fast
    columnSumWeightedAccumulate(&fast, src, scale, rows: rows, columns: columns)
    columnSumWeightedAccumulateReference(&slow, src, scale, rows: rows, columns: columns)
    #expect(fast == slow)
  }
}
