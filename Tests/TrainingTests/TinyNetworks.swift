// Tiny networks for PPO tests: a bigram policy (logits and value depend on the current token
// only) trained with Adam, and fixed "reward models" with known outputs. Fast enough for many PPO
// iterations inside a unit test.

import BPE
import Transformer

@testable import Training

#if canImport(Glibc)
import Glibc
#endif

/// logits[b, t, :] = W[tokens[b, t], :]; values[b, t] = v[tokens[b, t]]. Adam on W and v.
final class BigramNetwork: PolicyNetwork {
  let vocabularySize: Int
  let contextLength = 64
  var weights: [Float]
  var valueWeights: [Float]
  var gradWeights: [Float]
  var gradValues: [Float]
  var moments: [Float]
  var squares: [Float]
  var steps = 0
  var lastTokens: [Int32] = []

  init(vocabularySize: Int) {
    self.vocabularySize = vocabularySize
    weights = [Float](repeating: 0, count: vocabularySize * vocabularySize)
    valueWeights = [Float](repeating: 0, count: vocabularySize)
    gradWeights = weights
    gradValues = valueWeights
    moments = [Float](repeating: 0, count: weights.count + valueWeights.count)
    squares = moments
  }

  func copy() -> BigramNetwork {
    let other = BigramNetwork(vocabularySize: vocabularySize)
    other.weights = weights
    other.valueWeights = valueWeights
    return other
  }

  func forward(tokens: [Int32], batchSize: Int, sequenceLength: Int) -> NetworkOutputs {
    lastTokens = tokens
    var logits = [Float](repeating: 0, count: tokens.count * vocabularySize)
    for (i, token) in tokens.enumerated() {
      for v in 0..<vocabularySize {
        logits[i * vocabularySize + v] = weights[Int(token) * vocabularySize + v]
      }
    }
    return NetworkOutputs(logits: logits, values: tokens.map { valueWeights[Int($0)] })
  }

  func backward(dLogits: [Float]?, dValues: [Float]?) {
    for (i, token) in lastTokens.enumerated() {
      if let dLogits {
        for v in 0..<vocabularySize {
          gradWeights[Int(token) * vocabularySize + v] += dLogits[i * vocabularySize + v]
        }
      }
      if let dValues { gradValues[Int(token)] += dValues[i] }
    }
  }

  func zeroGradients() {
    gradWeights = [Float](repeating: 0, count: gradWeights.count)
    gradValues = [Float](repeating: 0, count: gradValues.count)
  }

  func clipGradients(maxNorm: Double) -> Double {
    let norm = (gradWeights + gradValues).reduce(0.0) { $0 + Double($1 * $1) }.squareRoot()
    if maxNorm > 0 && norm > maxNorm {
      let factor = Float(maxNorm / norm)
      gradWeights = gradWeights.map { $0 * factor }
      gradValues = gradValues.map { $0 * factor }
    }
    return norm
  }

  func optimizerStep(learningRate: Double) {
    steps += 1
    let grads = gradWeights + gradValues
    var params = weights + valueWeights
    let (b1, b2): (Float, Float) = (0.9, 0.95)
    for i in params.indices {
      moments[i] = b1 * moments[i] + (1 - b1) * grads[i]
      squares[i] = b2 * squares[i] + (1 - b2) * grads[i] * grads[i]
      let mHat = moments[i] / (1 - pow(b1, Float(steps)))
      let vHat = squares[i] / (1 - pow(b2, Float(steps)))
      params[i] -= Float(learningRate) * mHat / (vHat.squareRoot() + 1e-8)
    }
    weights = Array(params[0..<weights.count])
    valueWeights = Array(params[weights.count...])
  }

  func sample(
    prompts: [[TokenID]], maxNewTokens: Int, temperature: Float, eos: TokenID, seed: UInt64
  ) -> [SampledResponse] {
    var generator = SeededGenerator(seed: seed)
    return prompts.map { prompt in
      var tokens: [TokenID] = []
      var last = Int(prompt.last!)
      while tokens.count < maxNewTokens {
        let row = (0..<vocabularySize).map {
          Double(weights[last * vocabularySize + $0] / temperature)
        }
        let top = row.max()!
        let exps = row.map { exp($0 - top) }
        var u = generator.nextUnit() * exps.reduce(0, +)
        var next = vocabularySize - 1
        for (v, e) in exps.enumerated() {
          u -= e
          if u < 0 {
            next = v
            break
          }
        }
        tokens.append(TokenID(next))
        last = next
        if TokenID(next) == eos { return SampledResponse(tokens: tokens, endsWithEOS: true) }
      }
      return SampledResponse(tokens: tokens, endsWithEOS: false)
    }
  }
}

/// A frozen network whose outputs are a fixed function of the tokens (a known reward model).
final class FixedNetwork: PPONetwork {
  let vocabularySize: Int
  let contextLength = 128
  let function: ([Int32], Int, Int) -> NetworkOutputs

  init(vocabularySize: Int, function: @escaping ([Int32], Int, Int) -> NetworkOutputs) {
    self.vocabularySize = vocabularySize
    self.function = function
  }

  func forward(tokens: [Int32], batchSize: Int, sequenceLength: Int) -> NetworkOutputs {
    function(tokens, batchSize, sequenceLength)
  }
  func backward(dLogits: [Float]?, dValues: [Float]?) {}
  func zeroGradients() {}
  func clipGradients(maxNorm: Double) -> Double { 0 }
  func optimizerStep(learningRate: Double) {}
}

/// A policy that always answers `response` and whose forward gives fixed logits `logits(token)`
/// at every position; training it does nothing. Lets a test choose log π of the sampled tokens,
/// e.g. sampling tokens its own distribution finds unlikely (the K20 mismatch).
final class ScriptedPolicy: PolicyNetwork {
  let vocabularySize: Int
  let contextLength = 64
  let response: [TokenID]
  let row: [Float]

  init(vocabularySize: Int, response: [TokenID], row: [Float]) {
    precondition(row.count == vocabularySize, "ScriptedPolicy: one logit per token")
    self.vocabularySize = vocabularySize
    self.response = response
    self.row = row
  }

  func forward(tokens: [Int32], batchSize: Int, sequenceLength: Int) -> NetworkOutputs {
    NetworkOutputs(
      logits: (0..<tokens.count).flatMap { _ in row },
      values: [Float](repeating: 0, count: tokens.count))
  }
  func backward(dLogits: [Float]?, dValues: [Float]?) {}
  func zeroGradients() {}
  func clipGradients(maxNorm: Double) -> Double { 0 }
  func optimizerStep(learningRate: Double) {}
  func sample(
    prompts: [[TokenID]], maxNewTokens: Int, temperature: Float, eos: TokenID, seed: UInt64
  ) -> [SampledResponse] {
    prompts.map { _ in SampledResponse(tokens: response, endsWithEOS: response.last == eos) }
  }
}
