// The per-token KL penalty and reward clip (METHOD.md §2.3) and fault K20: at step 0 the KL is
// exactly 0 on every real token and padding after EOS contributes nothing.

import Testing

@testable import Training

@Suite struct KLPenaltyTests {
  /// β = 0.5, clip 3: s = [1, 0, 10, −10], KL = [0.2, −0.4, 0, 0] →
  /// r = [1 − 0.1, 0 + 0.2, clip(10) = 3, clip(−10) = −3]; the pad gets 0.
  @Test func penaltyAndClipHandValues() {
    let out = penalizedRewards(
      scores: [1, 0, 10, -10, 7], logProbs: [-1.0, -2.0, -0.5, -1.5, -9],
      referenceLogProbs: [-1.2, -1.6, -0.5, -1.5, -1], mask: [1, 1, 1, 1, 0], klCoefficient: 0.5,
      rewardClip: 3)
    let expected: [Float] = [0.9, 0.2, 3, -3, 0]
    for i in 0..<5 { #expect(abs(out.rewards[i] - expected[i]) < 1e-6) }
    #expect(abs(out.kl[0] - 0.2) < 1e-6 && abs(out.kl[1] - -0.4) < 1e-6)
    #expect(out.kl[4] == 0)
  }

  /// K20: policy = reference at step 0; two responses, one ending at token 3 and padded to 6.
  /// Log-probabilities computed by the same code on the same logits give KL exactly 0 on real
  /// tokens, and the pads (holding garbage) give 0.
  @Test func stepZeroKLIsExactlyZero() {
    var generator = SplitMix64(seed: 17)
    let vocabulary = 11
    let width = 6
    let lengths = [3, 6]
    let mask = responseMask(lengths: lengths, width: width)
    let logits = (0..<(2 * width * vocabulary)).map { _ in generator.nextFloat() * 6 - 3 }
    let tokens = (0..<(2 * width)).map { _ in Int(generator.next() % UInt64(vocabulary)) }
    func logProbs(_ logits: [Float]) -> [Float] {
      (0..<(2 * width)).map { i in
        mask[i] == 0
          ? Float.nan
          : logits.withUnsafeBufferPointer {
            tokenLogProbability(
              tokens[i],
              logits: UnsafeBufferPointer(rebasing: $0[(i * vocabulary)..<((i + 1) * vocabulary)]))
          }
      }
    }
    let policy = logProbs(logits)
    let reference = logProbs(logits)
    let kl = perTokenKL(logProbs: policy, referenceLogProbs: reference, mask: mask)
    #expect(kl.allSatisfy { $0 == 0 })
    #expect(meanSequenceKL(kl, mask: mask, width: width) == 0)
    let rewards = penalizedRewards(
      scores: [Float](repeating: 1, count: 12), logProbs: policy, referenceLogProbs: reference,
      mask: mask, klCoefficient: 0.05, rewardClip: 50)
    #expect(rewards.rewards == mask)
  }

  /// Sequence KL: the sum over real tokens, averaged over rows.
  @Test func meanSequenceKLSumsRealTokens() {
    let kl: [Float] = [0.5, 0.25, 0, 1, 1, 1]
    #expect(meanSequenceKL(kl, mask: [1, 1, 0, 1, 1, 1], width: 3) == (0.75 + 3) / 2)
  }
}
