// Prompts for PPO rollouts and evaluation, from a `--targets prompts` shard directory: each
// document is one `[BOS] x [SEP_RESP]` sequence. A prompt longer than the room left for the
// response is cut from the left inside x (BOS and SEP_RESP kept; DESIGN.md truncation order).
// Batches are drawn by seeded epoch permutations, a pure function of (seed, iteration), so a
// resumed run sees exactly the prompts it would have seen.

import BPE
import TokenShards
import Transformer

/// The prompts of one split, fitted to a context budget.
public struct PromptSet: Sendable {
  /// `[BOS] x [SEP_RESP]` per prompt.
  public let prompts: [[TokenID]]
  /// How many prompts were cut from the left to fit.
  public let truncatedCount: Int

  /// Prompts from `dataset`'s `split`, each at most `maxLength` tokens.
  /// - Throws: `TrainingError.incompatible` when the directory does not hold prompt targets;
  ///   `TrainingError.noTrainingData` when the split is empty; `ShardError` from the reader.
  public init(dataset: ShardDataset, split: Split, maxLength: Int, specials: SpecialTokenIDs) throws
  {
    guard dataset.manifest.targetKind == .prompts else {
      throw TrainingError.incompatible(
        what: "target kind of \(dataset.directory) (make it with rmprep convert --targets prompts)",
        expected: "prompts", found: "\(dataset.manifest.targetKind)")
    }
    guard maxLength >= 3 else {
      throw TrainingError.noTrainingData(
        detail: "no room for a prompt: context budget \(maxLength)")
    }
    var truncated = 0
    prompts = try dataset.documents(split: split).compactMap { document in
      guard let tokens = document.first?.tokens, !tokens.isEmpty else { return nil }
      if tokens.count > maxLength { truncated += 1 }
      return Self.fitted(tokens, maxLength: maxLength, specials: specials)
    }
    truncatedCount = truncated
    guard !prompts.isEmpty else {
      throw TrainingError.noTrainingData(detail: "\(dataset.directory) has no \(split) prompts")
    }
  }

  /// `[BOS] x [SEP_RESP]` cut to at most `maxLength` (≥ 3) tokens: BOS and SEP_RESP are kept and
  /// the oldest tokens of x between them dropped. Unchanged when it already fits.
  /// - Example: [BOS, 7, 8, 9, SEP_RESP], maxLength 4 → [BOS, 8, 9, SEP_RESP].
  public static func fitted(_ tokens: [TokenID], maxLength: Int, specials: SpecialTokenIDs)
    -> [TokenID]
  {
    guard tokens.count > maxLength else { return tokens }
    let head: [TokenID] = tokens.first == specials.bos ? [specials.bos] : []
    return head + tokens.suffix(maxLength - head.count)
  }

  /// Builds from explicit prompts (tests, benchmarks).
  public init(prompts: [[TokenID]]) {
    self.prompts = prompts
    truncatedCount = 0
  }

  /// The `size` prompts of batch `iteration` (0-based): consecutive slices of seeded epoch
  /// permutations, wrapping into the next epoch.
  public func batch(iteration: Int, size: Int, seed: UInt64) -> [[TokenID]] {
    var out: [[TokenID]] = []
    var position = iteration * size
    while out.count < size {
      let epoch = position / prompts.count
      var generator = SeededGenerator(seed: seed &+ 0xA5A5 &* UInt64(epoch + 1))
      let order = permutation(prompts.count, using: &generator)
      let offset = position % prompts.count
      let take = min(size - out.count, prompts.count - offset)
      out += order[offset..<(offset + take)].map { prompts[$0] }
      position += take
    }
    return out
  }
}
