// Arena reuse and growth of the activation arenas, and FloatArena's zero start.

import Testing

@testable import Transformer

@Suite struct ActivationsTests {
  @Test func arenaIsReusedWhenItFitsAndHasHalfAgainAsHeadroom() {
    let previous = FloatArena(count: 100)
    #expect(Activations.arena(count: 100, previous: previous) === previous)
    #expect(Activations.arena(count: 7, previous: previous) === previous)
    #expect(Activations.arena(count: 101, previous: previous).count == 150)
    #expect(Activations.arena(count: 151, previous: previous).count == 151)
    #expect(Activations.arena(count: 40, previous: nil).count == 60)
  }

  @Test func newArenasStartAtZero() {
    for count in [0, 1, 1000, 5_000_000] {
      let arena = FloatArena(count: count)
      #expect(arena.count == max(count, 1))
      #expect(!arena.storage.contains { $0 != 0 })
    }
  }

  @Test func growingShapesKeepResultsIdentical() {
    let config = ModelConfig(
      vocabularySize: 13, contextLength: 8, layerCount: 1, headCount: 2, channelCount: 8)
    let grown = GPTModel(config: config, seed: 4)
    let fresh = grown.copy()
    let tokens = randomTokens(3 * 8, vocabulary: 13, seed: 8)
    // Shapes creeping up, as PPO's ragged batches do; then the largest on a fresh model.
    for (b, t) in [(1, 3), (2, 4), (2, 6), (3, 8)] {
      Array(tokens[0..<(b * t)]).withUnsafeBufferPointer {
        grown.forward(tokens: $0, batchSize: b, sequenceLength: t)
      }
    }
    tokens.withUnsafeBufferPointer { fresh.forward(tokens: $0, batchSize: 3, sequenceLength: 8) }
    #expect(Array(grown.logits) == Array(fresh.logits))
  }
}
