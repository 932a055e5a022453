// What PPO needs from a model: forward and backward over (B, T) token batches, an optimizer
// step, and (for the actor) sampling with a KV cache. The engine's GPTModel is adapted in
// GPTNetwork.swift; tests use tiny tabular models of their own. Shapes: tokens (B, T) row-major;
// logits (B, T, V); values (B, T), the value head at every position (empty without one).

import BPE

/// Outputs of one forward pass.
public struct NetworkOutputs: Sendable {
  /// (B, T, V) next-token logits (empty when the network skips them, e.g. a critic).
  public var logits: [Float]
  /// (B, T) value-head outputs, or empty without a value head.
  public var values: [Float]

  /// Creates outputs.
  public init(logits: [Float], values: [Float]) {
    self.logits = logits
    self.values = values
  }
}

/// A model PPO can run forward and backward and step with its own optimizer.
public protocol PPONetwork: AnyObject {
  /// V: size of the output vocabulary.
  var vocabularySize: Int { get }
  /// Longest sequence the model accepts.
  var contextLength: Int { get }
  /// Runs the model on a (B, T) batch; keeps what `backward` needs.
  func forward(tokens: [Int32], batchSize: Int, sequenceLength: Int) -> NetworkOutputs
  /// Like `forward`, but logits only at the flat positions `logitPositions` ((R, V) in their
  /// order): PPO reads the response positions only, not the prompt's. Values stay (B, T).
  func forward(
    tokens: [Int32], batchSize: Int, sequenceLength: Int, logitPositions: [Int]
  ) -> NetworkOutputs
  /// Back-propagates gradients of the last forward's outputs, accumulating into the parameter
  /// gradients; nil means zero for that output.
  func backward(dLogits: [Float]?, dValues: [Float]?)
  /// Backward after `forward(…, logitPositions:)`: `dLogits` is (R, V) in the positions' order;
  /// `positionCount` is B·T.
  func backward(dLogits: [Float], logitPositions: [Int], positionCount: Int, dValues: [Float]?)
  /// Clears the accumulated gradients.
  func zeroGradients()
  /// Scales the gradients so their global L2 norm is at most `maxNorm`; returns the norm before.
  func clipGradients(maxNorm: Double) -> Double
  /// One optimizer (AdamW) step at `learningRate`.
  func optimizerStep(learningRate: Double)
}

extension PPONetwork {
  /// The full forward, its logits gathered at `logitPositions` (networks without a faster way).
  public func forward(
    tokens: [Int32], batchSize: Int, sequenceLength: Int, logitPositions: [Int]
  ) -> NetworkOutputs {
    var out = forward(tokens: tokens, batchSize: batchSize, sequenceLength: sequenceLength)
    guard !out.logits.isEmpty else { return out }
    let V = vocabularySize
    out.logits = logitPositions.flatMap { out.logits[($0 * V)..<(($0 + 1) * V)] }
    return out
  }

  /// `dLogits` (R, V) added into a zero (B·T, V) gradient at `logitPositions`, then the full
  /// backward.
  public func backward(
    dLogits: [Float], logitPositions: [Int], positionCount: Int, dValues: [Float]?
  ) {
    let V = vocabularySize
    var full = [Float](repeating: 0, count: positionCount * V)
    for (r, position) in logitPositions.enumerated() {
      for v in 0..<V { full[position * V + v] += dLogits[r * V + v] }
    }
    backward(dLogits: full, dValues: dValues)
  }
}

/// A sampled continuation of one prompt.
public struct SampledResponse: Sendable, Equatable {
  /// New tokens, EOS included when sampled; at least one token.
  public var tokens: [TokenID]
  /// Whether sampling stopped on EOS (false: the length cap was reached).
  public var endsWithEOS: Bool

  /// Creates a response.
  public init(tokens: [TokenID], endsWithEOS: Bool) {
    self.tokens = tokens
    self.endsWithEOS = endsWithEOS
  }
}

/// A PPO network that can also sample (the actor, and any policy under evaluation).
public protocol PolicyNetwork: PPONetwork {
  /// Samples one continuation per prompt from softmax(logits / temperature), with no top-k,
  /// top-p or minimum length (K20), stopping after `eos` or `maxNewTokens` tokens.
  /// Deterministic for a given seed.
  func sample(
    prompts: [[TokenID]], maxNewTokens: Int, temperature: Float, eos: TokenID, seed: UInt64
  ) -> [SampledResponse]
}
