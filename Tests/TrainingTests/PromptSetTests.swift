// Prompts for rollouts: left truncation that keeps BOS and SEP_RESP, and batches that are a pure
// function of (seed, iteration) walking seeded epoch permutations (a resumed run sees the same
// prompts; every prompt is used once per epoch).

import BPE
import Testing

@testable import Training

@Suite struct PromptSetTests {
  static let specials = SpecialTokenIDs(pad: 0, bos: 1, eos: 2, sepResp: 3, sepCorr: 4)

  @Test func fittingCutsThePromptFromTheLeft() {
    let prompt: [TokenID] = [1, 7, 8, 9, 3]
    #expect(PromptSet.fitted(prompt, maxLength: 4, specials: Self.specials) == [1, 8, 9, 3])
    #expect(PromptSet.fitted(prompt, maxLength: 3, specials: Self.specials) == [1, 9, 3])
    #expect(PromptSet.fitted(prompt, maxLength: 5, specials: Self.specials) == prompt)
    // Without a leading BOS only the tail is kept (SEP_RESP stays last).
    #expect(PromptSet.fitted([7, 8, 9, 3], maxLength: 2, specials: Self.specials) == [9, 3])
  }

  /// 5 prompts, batches of 3: iterations 0 and 1 cover epoch 0 (3 + 2) and spill 1 into epoch 1;
  /// each epoch is a permutation; the same (seed, iteration) gives the same batch.
  @Test func batchesWalkSeededEpochPermutations() {
    let set = PromptSet(prompts: (0..<5).map { [1, TokenID(10 + $0), 3] })
    let first = set.batch(iteration: 0, size: 3, seed: 9)
    let second = set.batch(iteration: 1, size: 3, seed: 9)
    #expect(first.count == 3 && second.count == 3)
    let epoch0 = first + second.prefix(2)
    #expect(Set(epoch0.map { $0[1] }) == Set((10..<15).map { TokenID($0) }))
    #expect(set.batch(iteration: 1, size: 3, seed: 9) == second)
    #expect(set.batch(iteration: 0, size: 3, seed: 10) != first)  // the seed matters
    // A batch larger than the set wraps through whole epochs.
    let big = set.batch(iteration: 0, size: 12, seed: 9)
    #expect(big.count == 12)
    #expect(Set(big[0..<5].map { $0[1] }).count == 5 && Set(big[5..<10].map { $0[1] }).count == 5)
  }
}
