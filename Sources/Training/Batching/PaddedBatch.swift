// PaddedBatch: variable-length token sequences packed into one right-padded (B, T) batch.
//
// Conventions (DESIGN.md "Masks and positions"): `mask[i] = 1` means token i is a training label,
// predicted from position i − 1. Rows are right-padded with the tokenizer's pad id; the model reads
// position t and is trained to predict token t + 1, so `targets[b, t] = tokens[b, t + 1]` with
// weight `mask[t + 1]`. A row's last real token is at `lengths[b] − 1`: it is taken from the
// stored lengths, never found by searching for padding (KNOWN-FAULTS K19).

/// One sequence to train on: tokens, their label mask, and where it came from.
public struct TrainingExample: Sendable, Equatable {
  /// Token ids, `[BOS] … [EOS]` (the EOS may be missing when the data was truncated).
  public var tokens: [UInt32]
  /// `mask[i] = 1` when token `i` is a label (predicted from position `i − 1`); same count as `tokens`.
  public var mask: [UInt8]
  /// Index of the document this sequence came from in its split, for error messages.
  public var documentIndex: Int

  /// Creates an example; `tokens` and `mask` must have the same count.
  public init(tokens: [UInt32], mask: [UInt8], documentIndex: Int) {
    precondition(
      tokens.count == mask.count,
      "TrainingExample: \(tokens.count) tokens but \(mask.count) mask bytes")
    self.tokens = tokens
    self.mask = mask
    self.documentIndex = documentIndex
  }

  /// Number of label tokens (mask = 1) that follow position 0, i.e. that the model can be trained on.
  public var labelCount: Int {
    var count = 0
    for i in tokens.indices.dropFirst() where mask[i] != 0 { count += 1 }
    return count
  }
}

/// A right-padded batch of sequences with next-token targets and per-position label weights.
///
/// Shapes: `tokens`, `targets`, `weights` are (batchSize, sequenceLength), row-major;
/// `lengths` and `documentIndices` are (batchSize).
public struct PaddedBatch: Sendable, Equatable {
  /// B: rows in the batch.
  public let batchSize: Int
  /// T: the longest row; shorter rows are padded on the right.
  public let sequenceLength: Int
  /// (B, T) input tokens; positions `t ≥ lengths[b]` hold `padID`.
  public let tokens: [Int32]
  /// (B) number of real tokens in each row.
  public let lengths: [Int]
  /// (B, T) token that position t should predict (`tokens[b, t + 1]`), or `padID` where there is none.
  public let targets: [Int32]
  /// (B, T) 1 where `targets[b, t]` is a label, else 0.
  public let weights: [Float]
  /// (B) the document each row came from.
  public let documentIndices: [Int]

  /// Packs `examples` into one batch, padding on the right with `padID`.
  /// - Complexity: O(B · T).
  public init(examples: [TrainingExample], padID: UInt32) {
    precondition(!examples.isEmpty, "PaddedBatch: no examples")
    let rows = examples.count
    let time = examples.map(\.tokens.count).max() ?? 0
    precondition(time > 0, "PaddedBatch: every example is empty")
    var tokens = [Int32](repeating: Int32(padID), count: rows * time)
    var targets = [Int32](repeating: Int32(padID), count: rows * time)
    var weights = [Float](repeating: 0, count: rows * time)
    for (row, example) in examples.enumerated() {
      let base = row * time
      for (t, token) in example.tokens.enumerated() { tokens[base + t] = Int32(token) }
      for t in 0..<max(0, example.tokens.count - 1) {
        targets[base + t] = Int32(example.tokens[t + 1])
        weights[base + t] = example.mask[t + 1] != 0 ? 1 : 0
      }
    }
    self.batchSize = rows
    self.sequenceLength = time
    self.tokens = tokens
    self.targets = targets
    self.weights = weights
    self.lengths = examples.map(\.tokens.count)
    self.documentIndices = examples.map(\.documentIndex)
  }

  /// Position of row `row`'s last real token (its EOS, or the last kept token when truncated),
  /// from the stored length.
  public func lastRealTokenPosition(row: Int) -> Int { lengths[row] - 1 }

  /// Total label weight in the batch: the denominator of the token-mean loss.
  public var labelCount: Int { weights.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }

  /// Number of real (non-padding) tokens in the batch, for tokens/s.
  public var realTokenCount: Int { lengths.reduce(0, +) }
}

/// The last index whose attention-mask entry is 1, whatever the padding side, or nil for an all-zero mask.
///
/// Example: `[1,1,0,0]` → 1, `[0,0,1,1]` → 3, `[0,1,1,1,0]` → 3 (KNOWN-FAULTS K19).
public func lastRealTokenPosition(attentionMask: [UInt8]) -> Int? {
  attentionMask.lastIndex { $0 != 0 }
}
