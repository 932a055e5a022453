// Generation: cached vs uncached logits, greedy determinism, batch independence, seeds, top-k,
// EOS, and returned log-probabilities against the full forward.

import Testing

@testable import Transformer

@Suite struct SamplingTests {
  let config = ModelConfig(
    vocabularySize: 13, contextLength: 16, layerCount: 2, headCount: 2, channelCount: 8)

  func model() -> GPTModel {
    let m = GPTModel(config: config, seed: 31)
    for i in 0..<m.parameterCount { m.parameters.storage[i] *= 20 }  // peaked distributions
    return m
  }

  @Test func cachedLogitsEqualUncachedForward() {
    setThreadCount(2)
    let m = model()
    let sequence: [Int32] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
    let cache = KVCache(model: m, sequenceCount: 2)
    var cached = cache.append(
      sequences: [1, 1, 1, 1], tokens: Array(sequence[0..<4]), logitRows: [0, 1, 2, 3])
    for t in 4..<sequence.count {
      cached += cache.append(sequences: [1], tokens: [sequence[t]], logitRows: [0])
    }
    sequence.withUnsafeBufferPointer {
      m.forward(tokens: $0, batchSize: 1, sequenceLength: sequence.count)
    }
    let full = Array(m.logits)
    #expect(cached.count == full.count)
    #expect(maxRelativeError(cached, full, floor: 1e-2) < 1e-5)
  }

  @Test func greedyIsDeterministicAndIndependentOfTheBatch() {
    setThreadCount(2)
    let m = model()
    let prompts: [[Int32]] = [[1, 2, 3], [7], [4, 4, 4, 4, 4]]
    let options = SamplingOptions(maxNewTokens: 6, temperature: 0)
    let first = generate(model: m, prompts: prompts, options: options)
    let second = generate(model: m, prompts: prompts, options: options)
    #expect(first == second)
    for (i, prompt) in prompts.enumerated() {
      let alone = generate(model: m, prompts: [prompt], options: options)[0]
      #expect(alone.tokens == first[i].tokens)
      #expect(
        maxRelativeError(alone.logProbabilities, first[i].logProbabilities, floor: 1e-3) < 1e-4)
    }
    // Greedy tokens are the argmax of the full forward at each step.
    let all = prompts[0] + first[0].tokens
    all.withUnsafeBufferPointer { m.forward(tokens: $0, batchSize: 1, sequenceLength: all.count) }
    let logits = Array(m.logits)
    for (k, token) in first[0].tokens.enumerated() {
      let row = Array(logits[((prompts[0].count - 1 + k) * 13)..<((prompts[0].count + k) * 13)])
      #expect(Int32(row.firstIndex(of: row.max()!)!) == token)
    }
  }

  @Test func logProbabilitiesMatchTheFullForward() {
    setThreadCount(1)
    let m = model()
    let prompt: [Int32] = [2, 5, 8]
    let out = generate(
      model: m, prompts: [prompt],
      options: SamplingOptions(maxNewTokens: 5, temperature: 0.8, topK: 5, seed: 4))[0]
    let all = prompt + out.tokens
    let T = all.count - 1
    var lp = [Float](repeating: 0, count: T)
    Array(all[0..<T]).withUnsafeBufferPointer {
      m.forward(tokens: $0, batchSize: 1, sequenceLength: T)
    }
    Array(all[1...]).withUnsafeBufferPointer { targets in
      lp.withUnsafeMutableBufferPointer { m.tokenLogProbabilities(targets: targets, into: $0) }
    }
    #expect(
      maxRelativeError(out.logProbabilities, Array(lp[(prompt.count - 1)...]), floor: 1e-2) < 1e-4)
  }

  @Test func seedsTopKAndEOS() {
    setThreadCount(1)
    let m = model()
    let prompts: [[Int32]] = [[1], [2], [3], [4]]
    let a = generate(
      model: m, prompts: prompts,
      options: SamplingOptions(maxNewTokens: 8, temperature: 1.5, seed: 1))
    let b = generate(
      model: m, prompts: prompts,
      options: SamplingOptions(maxNewTokens: 8, temperature: 1.5, seed: 1))
    let c = generate(
      model: m, prompts: prompts,
      options: SamplingOptions(maxNewTokens: 8, temperature: 1.5, seed: 2))
    #expect(a == b)
    #expect(a.map(\.tokens) != c.map(\.tokens))
    let greedy = generate(
      model: m, prompts: prompts, options: SamplingOptions(maxNewTokens: 8, temperature: 0))
    let topOne = generate(
      model: m, prompts: prompts,
      options: SamplingOptions(maxNewTokens: 8, temperature: 1.5, topK: 1, seed: 9))
    #expect(greedy.map(\.tokens) == topOne.map(\.tokens))
    let tinyP = generate(
      model: m, prompts: prompts,
      options: SamplingOptions(maxNewTokens: 8, temperature: 1, topP: 1e-6, seed: 9))
    #expect(greedy.map(\.tokens) == tinyP.map(\.tokens))
    // Stop on EOS: make the first greedy token of prompt 0 the EOS id.
    let eos = greedy[0].tokens[0]
    let stopped = generate(
      model: m, prompts: prompts,
      options: SamplingOptions(maxNewTokens: 8, temperature: 0, eosID: eos))
    #expect(stopped[0].tokens == [eos] && stopped[0].hitEOS)
    #expect(stopped.allSatisfy { $0.tokens.count <= 8 })
    #expect(!greedy[0].hitEOS && greedy[0].tokens.count == 8)
  }
}
