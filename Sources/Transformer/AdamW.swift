// AdamW (Loshchilov & Hutter 2019) over the flat parameter arena, step for step the same as
// torch.optim.AdamW: p ← p·(1 − lr·λ) on decayed tensors, m ← β1·m + (1−β1)·g,
// v ← β2·v + (1−β2)·g², p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
// Decay applies to the blocks' matrix weights and the value head only: never to embeddings,
// LayerNorm parameters or biases (ParameterLayout.Entry.decays).

/// AdamW state (first and second moments, step count) for one model's parameter layout.
public final class AdamW {
  /// β1, β2.
  public var betas: (Float, Float)
  /// ε added to the denominator.
  public var epsilon: Float
  /// Decoupled weight decay λ.
  public var weightDecay: Float
  /// Default learning rate used by `step()`.
  public var learningRate: Float
  /// Number of steps taken (t in the bias corrections).
  public private(set) var stepCount: Int = 0
  /// First moments, same layout as the parameters.
  public let firstMoment: FloatArena
  /// Second moments, same layout as the parameters.
  public let secondMoment: FloatArena
  private let model: GPTModel
  /// Ranges of the arena that decay, merged.
  private let decayMask: [Bool]
  private let spans: [(range: Range<Int>, decays: Bool)]

  /// An optimizer for `model`'s current parameter layout (rebuild it after `addValueHead` or
  /// `resizeVocabulary`).
  public init(
    model: GPTModel, learningRate: Float, betas: (Float, Float) = (0.9, 0.999),
    epsilon: Float = 1e-8, weightDecay: Float = 0.0
  ) {
    self.model = model
    self.learningRate = learningRate
    self.betas = betas
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    firstMoment = FloatArena(count: model.layout.totalCount)
    secondMoment = FloatArena(count: model.layout.totalCount)
    spans = model.layout.entries.map { ($0.view.offset..<$0.view.end, $0.decays) }
    decayMask = spans.map(\.decays)
  }

  /// One update with `learningRate` (the schedule's value for this step).
  public func step(learningRate lr: Float) {
    guard model.layout.totalCount == firstMoment.count else {
      fatalError("AdamW.step: the model's layout changed; build a new optimizer")
    }
    stepCount += 1
    let (b1, b2) = betas
    let t = Double(stepCount)
    let biasCorrection1 = 1 - Float(pow(Double(b1), t))
    let biasCorrection2Root = Float((1 - pow(Double(b2), t)).squareRoot())
    let stepSize = lr / biasCorrection1
    let eps = epsilon
    let decayFactor = 1 - lr * weightDecay
    let p = model.parameters.storage
    let g = model.gradients.storage
    let m = firstMoment.storage
    let v = secondMoment.storage
    for span in spans {
      let decay = span.decays && weightDecay != 0
      let count = span.range.count
      let base = span.range.lowerBound
      parallelFor((count + 16383) / 16384) { blocks in
        let start = base + blocks.lowerBound * 16384
        let end = min(base + count, base + blocks.upperBound * 16384)
        for i in start..<end {
          if decay { p[i] *= decayFactor }
          let grad = g[i]
          m[i] += (grad - m[i]) * (1 - b1)
          v[i] = v[i] * b2 + (1 - b2) * grad * grad
          let denominator = v[i].squareRoot() / biasCorrection2Root + eps
          p[i] -= stepSize * (m[i] / denominator)
        }
      }
    }
  }

  /// One update with the default `learningRate`.
  public func step() { step(learningRate: learningRate) }

  /// Restores a saved state (for resume); the arrays must match the layout.
  /// - Throws: `CheckpointError.shapeMismatch` when the sizes differ.
  public func restore(stepCount: Int, firstMoment m: [Float], secondMoment v: [Float]) throws {
    guard m.count == firstMoment.count, v.count == secondMoment.count else {
      throw CheckpointError.shapeMismatch(
        path: "<optimizer>", tensor: "adamw.m", expected: [firstMoment.count], found: [m.count])
    }
    self.stepCount = stepCount
    _ = firstMoment.storage.update(fromContentsOf: m)
    _ = secondMoment.storage.update(fromContentsOf: v)
  }
}

#if canImport(Glibc)
import Glibc
#endif
