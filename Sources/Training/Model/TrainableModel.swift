// TrainableModel: the part of the transformer engine that rmtrain's loops use. The engine's GPT
// model conforms in GPTModel+TrainableModel.swift; tests use tiny models of their own. Shapes:
// tokens (B, T) row-major; logits (B, T, V); values (B, T), the value head's output at every position
// (empty when the model has no value head). Gradients accumulate until `zeroGradients()`.

/// Outputs of one forward pass.
public struct ModelOutputs: Sendable {
  /// (B, T, V) next-token logits.
  public var logits: [Float]
  /// (B, T) value-head outputs, or empty without a value head.
  public var values: [Float]

  /// Creates outputs.
  public init(logits: [Float], values: [Float]) {
    self.logits = logits
    self.values = values
  }
}

/// A model the trainer can run forward and backward and step with its optimizer.
public protocol TrainableModel: AnyObject {
  /// V: size of the output vocabulary.
  var vocabularySize: Int { get }
  /// Longest sequence the model accepts.
  var contextLength: Int { get }
  /// Runs the model on a (B, T) batch; keeps what `backward` needs.
  func forward(tokens: [Int32], batchSize: Int, sequenceLength: Int) -> ModelOutputs
  /// Back-propagates loss gradients of the last forward pass, accumulating into the parameters'
  /// gradients; nil means "zero" for that output.
  func backward(dLogits: [Float]?, dValues: [Float]?)
  /// Clears the accumulated gradients.
  func zeroGradients()
  /// Scales the gradients so their global L2 norm is at most `maxNorm` (no-op for 0); returns the
  /// norm before clipping.
  func clipGradients(maxNorm: Double) -> Double
  /// One AdamW step at `learningRate` with the optimizer settings the model was set up with.
  func optimizerStep(learningRate: Double)
}
