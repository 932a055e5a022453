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
    let constants = AdamWConstants(
      beta1: b1, beta2: b2, epsilon: eps, stepSize: stepSize,
      biasCorrection2Root: biasCorrection2Root, decayFactor: decayFactor)
    for span in spans {
      let decay = span.decays && weightDecay != 0
      let count = span.range.count
      let base = span.range.lowerBound
      parallelFor((count + 16383) / 16384) { blocks in
        let start = base + blocks.lowerBound * 16384
        let end = min(base + count, base + blocks.upperBound * 16384)
        adamWUpdate(
          parameters: p.baseAddress!, gradients: g.baseAddress!, firstMoment: m.baseAddress!,
          secondMoment: v.baseAddress!, range: start..<end, decay: decay, constants)
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

/// The per-step numbers of one AdamW update (β, ε, lr/(1−β1ᵗ), √(1−β2ᵗ), 1 − lr·λ).
struct AdamWConstants {
  var beta1: Float, beta2: Float, epsilon: Float
  var stepSize: Float, biasCorrection2Root: Float, decayFactor: Float
}

/// One AdamW update of p, m, v over `range` (g read only), eight lanes at a time: lane for lane
/// the operations of `adamWUpdateReference` in the same order (SIMD sqrt and division are
/// correctly rounded like the scalar ones, and nothing is fused), so the results are identical.
/// Performance notes: the scalar loop did not vectorize (four streams through captured
/// pointers); this one ran 1.6–1.9× faster on 5.3M parameters (measured, loaded 2-core machine).
@inline(__always)
func adamWUpdate(
  parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
  firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
  range: Range<Int>, decay: Bool, _ k: AdamWConstants
) {
  let (rp, rg, rm, rv) = (
    UnsafeMutableRawPointer(p), UnsafeRawPointer(g), UnsafeMutableRawPointer(m),
    UnsafeMutableRawPointer(v)
  )
  let oneMinusBeta1 = SIMD8<Float>(repeating: 1 - k.beta1)
  let oneMinusBeta2 = SIMD8<Float>(repeating: 1 - k.beta2)
  var i = range.lowerBound
  while i + 8 <= range.upperBound {
    let offset = i * 4
    var pv = rp.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
    if decay { pv *= k.decayFactor }
    let grad = rg.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
    var mv = rm.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
    mv += (grad - mv) * oneMinusBeta1
    var vv = rv.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
    vv = vv * k.beta2 + oneMinusBeta2 * grad * grad
    let denominator = vv.squareRoot() / k.biasCorrection2Root + k.epsilon
    pv -= k.stepSize * (mv / denominator)
    rp.storeBytes(of: pv, toByteOffset: offset, as: SIMD8<Float>.self)
    rm.storeBytes(of: mv, toByteOffset: offset, as: SIMD8<Float>.self)
    rv.storeBytes(of: vv, toByteOffset: offset, as: SIMD8<Float>.self)
    i += 8
  }
  adamWUpdateReference(
    parameters: p, gradients: g, firstMoment: m, secondMoment: v, range: i..<range.upperBound,
    decay: decay, k)
}

/// The scalar AdamW update (torch.optim.AdamW's formulas), the test oracle of `adamWUpdate` and
/// its tail.
func adamWUpdateReference(
  parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
  firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
  range: Range<Int>, decay: Bool, _ k: AdamWConstants
) {
  for i in range {
    if decay { p[i] *= k.decayFactor }
    let grad = g[i]
    m[i] += (grad - m[i]) * (1 - k.beta1)
    v[i] = v[i] * k.beta2 + (1 - k.beta2) * grad * grad
    let denominator = v[i].squareRoot() / k.biasCorrection2Root + k.epsilon
    p[i] -= k.stepSize * (m[i] / denominator)
  }
}

#if canImport(Glibc)
import Glibc
#endif
