// Tests for the seeded batch schedule: SplitMix64's reference output, permutations per epoch,
// determinism (the basis of bit-for-bit resume) and short final batches.

import Testing

@testable import Training

@Suite struct BatchScheduleTests {
  @Test func splitMixReferenceOutput() {
    // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
  }

  @Test func everyEpochIsAPermutation() {
    let schedule = BatchSchedule(exampleCount: 10, batchSize: 4, seed: 7)
    #expect(schedule.stepsPerEpoch == 3)
    for epoch in 0..<3 {
      let seen = (0..<3).flatMap { schedule.batch(step: epoch * 3 + $0) }
      #expect(seen.sorted() == Array(0..<10))
    }
    #expect(schedule.batch(step: 2).count == 2)
    #expect(schedule.order(epoch: 0) != schedule.order(epoch: 1))
  }

  @Test func sameSeedSameBatches() {
    let a = BatchSchedule(exampleCount: 50, batchSize: 8, seed: 42)
    let b = BatchSchedule(exampleCount: 50, batchSize: 8, seed: 42)
    let c = BatchSchedule(exampleCount: 50, batchSize: 8, seed: 43)
    #expect((0..<20).map(a.batch(step:)) == (0..<20).map(b.batch(step:)))
    #expect((0..<20).map(a.batch(step:)) != (0..<20).map(c.batch(step:)))
  }

  @Test func unshuffledKeepsFileOrder() {
    let schedule = BatchSchedule(exampleCount: 5, batchSize: 2, seed: 1, shuffles: false)
    #expect((0..<3).map(schedule.batch(step:)) == [[0, 1], [2, 3], [4]])
  }
}
