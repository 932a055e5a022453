// One PPO rollout batch and the packing that connects it to the model.
// Rows: `[BOS] x [SEP_RESP]` (the prompt as stored in a prompt shard) followed by the sampled
// response y (EOS included when sampled), right-padded to T = the longest row. Per-token arrays
// are (rows, width) with width = maxNewTokens; response token t of row b sits at model position
// p = promptLength_b + t and is predicted by the logits at p − 1, which is also where the critic's
// value V(s_t) is read. Positions come from stored lengths, never from a search for padding (K19).

import BPE

/// What the PPO loop sampled and computed for one batch of prompts.
public struct RolloutBatch: Sendable {
  /// `[BOS] x [SEP_RESP]` per row.
  public var prompts: [[TokenID]]
  /// The sampled responses, EOS included when the policy emitted it (1…width tokens).
  public var responses: [[TokenID]]
  /// Whether each response ended with EOS (false: it hit the length cap).
  public var endsWithEOS: [Bool]
  /// Per-token array width (the longest possible response).
  public let width: Int
  /// (rows, width): 1 on real response tokens (EOS included), 0 on padding.
  public let mask: [Float]
  /// (rows, width) log π_old(y_t) under the actor at rollout time.
  public var logProbs: [Float] = []
  /// (rows, width) log π_ref(y_t) under the frozen reference.
  public var referenceLogProbs: [Float] = []
  /// (rows, width) entropy of π_old at each response position, in nats.
  public var entropies: [Float] = []
  /// (rows, width) V_old(s_t) from the critic.
  public var values: [Float] = []
  /// (rows, width) reward-model scores s_t (after optional normalisation).
  public var scores: [Float] = []
  /// (rows, width) r_t = clip(s_t − β·KL_t).
  public var rewards: [Float] = []
  /// (rows, width) log π − log π_ref.
  public var kl: [Float] = []
  /// (rows, width) GAE advantages (whitened when configured).
  public var advantages: [Float] = []
  /// (rows, width) critic targets.
  public var returns: [Float] = []

  /// A batch of sampled responses; every per-token array but `mask` starts empty.
  public init(prompts: [[TokenID]], responses: [[TokenID]], endsWithEOS: [Bool], width: Int) {
    precondition(
      prompts.count == responses.count && responses.count == endsWithEOS.count,
      "RolloutBatch: one prompt, response and EOS flag per row")
    precondition(
      responses.allSatisfy { !$0.isEmpty && $0.count <= width },
      "RolloutBatch: responses must have 1...\(width) tokens")
    self.prompts = prompts
    self.responses = responses
    self.endsWithEOS = endsWithEOS
    self.width = width
    mask = responseMask(lengths: responses.map(\.count), width: width)
  }

  /// Number of rows.
  public var rowCount: Int { prompts.count }
  /// Number of real response tokens in the batch.
  public var tokenCount: Int { responses.reduce(0) { $0 + $1.count } }
}

/// Rows of token ids right-padded into one (B, T) model input.
public struct PackedSequences: Sendable, Equatable {
  /// (B, T) token ids, pad after each row's end.
  public var tokens: [Int32]
  /// B.
  public var batchSize: Int
  /// T, the longest row.
  public var sequenceLength: Int
  /// Per row, the model position of response token 0 (the prompt's length).
  public var responseStart: [Int]

  /// Packs `prompts[b] + responses[b]` for the rows in `rows` (all rows when nil).
  public init(prompts: [[TokenID]], responses: [[TokenID]], pad: TokenID, rows: [Int]? = nil) {
    let selected = rows ?? Array(prompts.indices)
    let length = selected.map { prompts[$0].count + responses[$0].count }.max() ?? 1
    var tokens = [Int32](repeating: Int32(pad), count: selected.count * length)
    var starts: [Int] = []
    for (row, index) in selected.enumerated() {
      let sequence = prompts[index] + responses[index]
      for (t, token) in sequence.enumerated() { tokens[row * length + t] = Int32(token) }
      starts.append(prompts[index].count)
    }
    self.tokens = tokens
    batchSize = selected.count
    sequenceLength = length
    responseStart = starts
  }

  /// Flat index (b·T + p) of the model position that predicts response token t of row b.
  @inline(__always) public func predictingPosition(row: Int, token t: Int) -> Int {
    row * sequenceLength + responseStart[row] + t - 1
  }

  /// The predicting positions of every response token, row by row (`lengths[row]` tokens each):
  /// the order of the compact logits of `forward(…, logitPositions:)`.
  public func responsePositions(lengths: [Int]) -> [Int] {
    lengths.enumerated().flatMap { row, count in
      (0..<count).map { predictingPosition(row: row, token: $0) }
    }
  }
}

/// log π(y_t) (at `temperature`) and optionally the entropy at every real response token of the
/// packed rows, gathered into (rows, width) arrays (0 on padding).
/// - Parameters:
///   - logits: (B, T, V) from a forward over `packed`; with `compact`, (R, V) from a forward
///     at `packed.responsePositions(…)` of these rows.
///   - rows: batch row indices of `packed`'s rows, to find their responses.
public func gatherResponseLogProbs(
  logits: [Float], packed: PackedSequences, responses: [[TokenID]], rows: [Int],
  width: Int, vocabularySize: Int, temperature: Float, withEntropy: Bool, compact: Bool = false
) -> (logProbs: [Float], entropies: [Float]) {
  var logProbs = [Float](repeating: 0, count: rows.count * width)
  var entropies = [Float](repeating: 0, count: withEntropy ? rows.count * width : 0)
  var k = 0
  logits.withUnsafeBufferPointer { all in
    for (row, index) in rows.enumerated() {
      for (t, token) in responses[index].enumerated() {
        let p = compact ? k : packed.predictingPosition(row: row, token: t)
        k += 1
        let z = UnsafeBufferPointer(
          rebasing: all[(p * vocabularySize)..<((p + 1) * vocabularySize)])
        if withEntropy {
          (logProbs[row * width + t], entropies[row * width + t]) = tokenLogProbabilityAndEntropy(
            Int(token), logits: z, temperature: temperature)
        } else {
          logProbs[row * width + t] = tokenLogProbability(
            Int(token), logits: z, temperature: temperature)
        }
      }
    }
  }
  return (logProbs, entropies)
}

/// V(s_t) for every real response token, gathered from (B, T) values into (rows, width).
public func gatherResponseValues(
  values: [Float], packed: PackedSequences, responses: [[TokenID]], rows: [Int], width: Int
) -> [Float] {
  var out = [Float](repeating: 0, count: rows.count * width)
  for (row, index) in rows.enumerated() {
    for t in responses[index].indices {
      out[row * width + t] = values[packed.predictingPosition(row: row, token: t)]
    }
  }
  return out
}
