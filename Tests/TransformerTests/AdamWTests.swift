// AdamW on hand-computed numbers (decayed and non-decayed tensors) and the LR schedules.

import Testing

@testable import Transformer

@Suite struct AdamWTests {
  @Test func firstStepMatchesHandComputation() {
    // p = 1, g = 0.5, lr = 0.1, β = (0.9, 0.999), λ = 0.1:
    // decayed: p = 1·(1 − 0.01) = 0.99; m̂ = 0.5, √v̂ = 0.5 → p = 0.99 − 0.1·(0.05/0.1)/(0.5) = 0.89.
    // not decayed (embeddings, LayerNorm, biases): p = 1 − 0.1 = 0.9.
    let model = GPTModel(config: tinyConfig(), seed: 1)
    model.parameters.storage.update(repeating: 1)
    model.gradients.storage.update(repeating: 0.5)
    let optimizer = AdamW(
      model: model, learningRate: 0.1, betas: (0.9, 0.999), epsilon: 1e-8, weightDecay: 0.1)
    optimizer.step()
    #expect(abs(model.parameter(named: "transformer.h.0.attn.c_attn.weight")![3] - 0.89) < 1e-6)
    #expect(abs(model.parameter(named: "transformer.h.1.mlp.c_proj.weight")![0] - 0.89) < 1e-6)
    #expect(abs(model.parameter(named: "transformer.h.0.attn.c_attn.bias")![3] - 0.9) < 1e-6)
    #expect(abs(model.parameter(named: "transformer.wte.weight")![0] - 0.9) < 1e-6)
    #expect(abs(model.parameter(named: "transformer.ln_f.weight")![0] - 0.9) < 1e-6)
    #expect(optimizer.stepCount == 1)
  }

  @Test func clippingScalesToTheMaximumNorm() {
    let model = GPTModel(config: tinyConfig(), seed: 2)
    model.gradients.storage.update(repeating: 0)
    model.gradients.storage[0] = 3
    model.gradients.storage[5] = 4
    #expect(model.gradientNorm() == 5)
    let before = model.clipGradients(maxNorm: 1)
    #expect(before == 5)
    #expect(
      abs(model.gradients.storage[0] - 0.6) < 1e-6 && abs(model.gradients.storage[5] - 0.8) < 1e-6)
    #expect(model.clipGradients(maxNorm: 10) < 1.0001)  // no change below the limit
    #expect(abs(model.gradients.storage[5] - 0.8) < 1e-6)
  }

  @Test func schedules() {
    let cosine = LearningRateSchedule(peak: 1, warmupSteps: 2, totalSteps: 10, decay: .cosine)
    #expect(cosine.rate(at: 0) == 0.5)
    #expect(cosine.rate(at: 1) == 1)
    #expect(cosine.rate(at: 2) == 1)
    #expect(abs(cosine.rate(at: 6) - 0.5) < 1e-6)
    #expect(abs(cosine.rate(at: 10)) < 1e-6)
    let linear = LearningRateSchedule(
      peak: 2, floor: 1, warmupSteps: 0, totalSteps: 4, decay: .linear)
    #expect(linear.rate(at: 0) == 2)
    #expect(linear.rate(at: 2) == 1.5)
    #expect(linear.rate(at: 9) == 1)
    #expect(
      LearningRateSchedule(peak: 3, warmupSteps: 0, totalSteps: 4, decay: .constant).rate(at: 3)
        == 3)
  }

  /// The eight-lane update equals the scalar reference bit for bit, with and without decay, on
  /// a range whose ends are not multiples of eight.
  @Test func vectorUpdateMatchesTheScalarReference() {
    let n = 203
    let g = randomArray(n, seed: 51, std: 0.1)
    let k = AdamWConstants(
      beta1: 0.9, beta2: 0.95, epsilon: 1e-8, stepSize: 3e-4, biasCorrection2Root: 0.31,
      decayFactor: 0.999)
    for decay in [true, false] {
      var (p1, m1, v1) = (
        randomArray(n, seed: 52), randomArray(n, seed: 53, std: 0.01),
        randomArray(n, seed: 54, std: 0.01).map { $0 * $0 }
      )
      var (p2, m2, v2) = (p1, m1, v1)
      adamWUpdate(
        parameters: &p1, gradients: g, firstMoment: &m1, secondMoment: &v1, range: 3..<200,
        decay: decay, k)
      adamWUpdateReference(
        parameters: &p2, gradients: g, firstMoment: &m2, secondMoment: &v2, range: 3..<200,
        decay: decay, k)
      #expect(p1 == p2 && m1 == m2 && v1 == v2, "decay \(decay)")
    }
  }
}
