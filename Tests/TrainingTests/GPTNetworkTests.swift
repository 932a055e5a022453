// The engine's GPT model as PPO sees it: rollouts sampled with the KV cache are the tokens the
// packed full forward then scores, at the positions RolloutBatch says (response token t of row b
// predicted at promptLength_b + t − 1), so the KV-cache log-probabilities and the packed ones
// agree on every real token of a ragged batch.

import BPE
import Testing
import Transformer

@testable import Training

@Suite struct GPTNetworkTests {
  @Test(arguments: [UInt64(3), 4, 5])
  func kvCacheSamplesScoreTheSameInThePackedForward(seed: UInt64) {
    let specials = TokenScorerTests.specials
    let model = TokenScorerTests.randomModel(seed: seed)
    let network = GPTNetwork(model: model)
    let prompts: [[TokenID]] = [[1, 5, 3], [1, 6, 7, 5, 6, 3], [1, 3], [1, 7, 7, 3]]
    let width = 7
    let sampled = network.sample(
      prompts: prompts, maxNewTokens: width, temperature: 1, eos: specials.eos, seed: seed)
    // The engine's sampler, same seed: the same tokens, with its KV-cache log-probabilities.
    let reference = generate(
      model: model, prompts: prompts.map { $0.map { Int32($0) } }, maxNewTokens: width,
      temperature: 1, eosID: Int32(specials.eos), seed: seed)
    #expect(sampled.map(\.tokens) == reference.map { $0.tokens.map { TokenID($0) } })
    #expect(sampled.map(\.endsWithEOS) == reference.map(\.hitEOS))
    for response in sampled where response.endsWithEOS {
      #expect(response.tokens.last == specials.eos)
    }

    let responses = sampled.map(\.tokens)
    let packed = PackedSequences(prompts: prompts, responses: responses, pad: specials.pad)
    let out = network.forward(
      tokens: packed.tokens, batchSize: packed.batchSize, sequenceLength: packed.sequenceLength)
    let gathered = gatherResponseLogProbs(
      logits: out.logits, packed: packed, responses: responses, rows: Array(prompts.indices),
      width: width, vocabularySize: model.config.vocabularySize, temperature: 1,
      withEntropy: false
    ).logProbs
    for (row, sequence) in reference.enumerated() {
      for t in 0..<width {
        let got = gathered[row * width + t]
        if t < sequence.tokens.count {
          #expect(abs(got - sequence.logProbabilities[t]) <= 1e-4, "row \(row) token \(t)")
        } else {
          #expect(got == 0, "padding of row \(row) at \(t)")
        }
      }
    }
  }
}
