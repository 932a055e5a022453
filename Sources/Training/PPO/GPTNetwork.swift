// The engine's GPTModel (and its AdamW) as a PPO network: actor, frozen reference, critic, or
// reward model. Copies logits and values out of the engine's activation arena into arrays, the
// edge where PPO's per-token bookkeeping begins (STYLE.md D7: [Float] only at the edges); the
// logits copy runs across the threads (ParallelArrays.swift).

import BPE
import Transformer

/// A GPTModel with an optional optimizer, seen through `PolicyNetwork`.
public final class GPTNetwork: PolicyNetwork {
  /// The wrapped model.
  public let model: GPTModel
  /// The optimizer; nil for frozen networks (reference, reward model).
  public let optimizer: AdamW?
  /// Whether `forward` computes logits (false for a critic or a scalar RM: values only).
  public var computesLogits: Bool

  /// Wraps `model`; pass an optimizer for networks that train.
  public init(model: GPTModel, optimizer: AdamW? = nil, computesLogits: Bool = true) {
    self.model = model
    self.optimizer = optimizer
    self.computesLogits = computesLogits
  }

  public var vocabularySize: Int { model.config.vocabularySize }
  public var contextLength: Int { model.config.contextLength }

  public func forward(tokens: [Int32], batchSize: Int, sequenceLength: Int) -> NetworkOutputs {
    tokens.withUnsafeBufferPointer {
      model.forward(
        tokens: $0, batchSize: batchSize, sequenceLength: sequenceLength,
        computeLogits: computesLogits)
    }
    return NetworkOutputs(
      logits: computesLogits ? parallelCopy(model.logits) : [],
      values: model.config.hasValueHead ? Array(model.values) : [])
  }

  public func forward(
    tokens: [Int32], batchSize: Int, sequenceLength: Int, logitPositions: [Int]
  ) -> NetworkOutputs {
    tokens.withUnsafeBufferPointer {
      model.forward(
        tokens: $0, batchSize: batchSize, sequenceLength: sequenceLength,
        computeLogits: computesLogits, logitPositions: computesLogits ? logitPositions : nil)
    }
    return NetworkOutputs(
      logits: computesLogits ? parallelCopy(model.logits) : [],
      values: model.config.hasValueHead ? Array(model.values) : [])
  }

  /// The engine's backward takes the (R, V) gradient of a selected-position forward directly.
  public func backward(
    dLogits: [Float], logitPositions: [Int], positionCount: Int, dValues: [Float]?
  ) {
    backward(dLogits: Optional(dLogits), dValues: dValues)
  }

  public func backward(dLogits: [Float]?, dValues: [Float]?) {
    func withOptional(
      _ array: [Float]?, _ body: (UnsafeBufferPointer<Float>?) -> Void
    ) {
      if let array { array.withUnsafeBufferPointer { body($0) } } else { body(nil) }
    }
    withOptional(dLogits) { logits in
      withOptional(dValues) { values in model.backward(dLogits: logits, dValues: values) }
    }
  }

  public func zeroGradients() { model.zeroGradients() }

  public func clipGradients(maxNorm: Double) -> Double {
    maxNorm > 0
      ? Double(model.clipGradients(maxNorm: Float(maxNorm))) : Double(model.gradientNorm())
  }

  public func optimizerStep(learningRate: Double) {
    guard let optimizer else { fatalError("GPTNetwork: optimizerStep on a frozen network") }
    optimizer.step(learningRate: Float(learningRate))
  }

  public func sample(
    prompts: [[TokenID]], maxNewTokens: Int, temperature: Float, eos: TokenID, seed: UInt64
  ) -> [SampledResponse] {
    let sequences = generate(
      model: model, prompts: prompts.map { $0.map { Int32($0) } }, maxNewTokens: maxNewTokens,
      temperature: temperature, eosID: Int32(eos), seed: seed)
    return sequences.map {
      SampledResponse(tokens: $0.tokens.map { TokenID($0) }, endsWithEOS: $0.hitEOS)
    }
  }
}
