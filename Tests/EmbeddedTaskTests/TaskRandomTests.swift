// Tests for TaskRandom: the SplitMix64 reference values and the derived draws.

import Testing

@testable import EmbeddedTask

@Suite struct TaskRandomTests {
  @Test func splitMix64ReferenceValuesForSeedZero() {
    // The published SplitMix64 sequence for seed 0 (also computed by an independent Python loop).
    var random = TaskRandom(seed: 0)
    #expect(random.next() == 0xE220_A839_7B1D_CDAF)
    #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(random.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func belowStaysInRangeAndCoversIt() {
    var random = TaskRandom(seed: 42)
    var seen = Set<Int>()
    for _ in 0..<1000 {
      let value = random.below(7)
      #expect((0..<7).contains(value))
      seen.insert(value)
    }
    #expect(seen.count == 7)
  }

  @Test func unitIsInHalfOpenInterval() {
    var random = TaskRandom(seed: 3)
    for _ in 0..<1000 {
      let value = random.unit()
      #expect(value >= 0 && value < 1)
    }
  }

  @Test func weightedIndexNeverPicksZeroWeightAndFollowsWeights() {
    var random = TaskRandom(seed: 9)
    var counts = [0, 0, 0]
    for _ in 0..<10_000 { counts[random.weightedIndex([1, 0, 3])] += 1 }
    #expect(counts[1] == 0)
    // Expected 2500 / 7500; the bounds are > 10 standard deviations wide.
    #expect((2000...3000).contains(counts[0]))
  }

  @Test func sameSeedSameSequence() {
    var a = TaskRandom(seed: 123)
    var b = TaskRandom(seed: 123)
    #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
  }
}
