// Tests for the Bradley–Terry loss: hand-computed values, the magnitude regulariser, finiteness at
// huge margins (KNOWN-FAULTS K18: the loss must stay finite) and a finite-difference gradient check.

import Testing

@testable import Training

@Suite struct BradleyTerryLossTests {
  @Test func handComputedValues() {
    // pair 0: margin 2 → softplus(−2) = 0.126928; pair 1: margin 0 → ln 2 = 0.693147.
    let result = bradleyTerryLoss(chosen: [2, 0], rejected: [0, 0], magnitudeCoefficient: 0)
    #expect(abs(result.loss - 0.410_037_8) < 1e-6)
    // ∂/∂r_w = −σ(−m)/N: σ(−2) = 0.1192029, σ(0) = 0.5.
    #expect(abs(result.dChosen[0] - -0.059_601_5) < 1e-6)
    #expect(abs(result.dChosen[1] - -0.25) < 1e-7)
    #expect(abs(result.dRejected[0] - 0.059_601_5) < 1e-6)
    #expect(abs(result.dRejected[1] - 0.25) < 1e-7)
  }

  @Test func magnitudeRegulariserAddsMeanSquares() {
    // margin 0 → ln 2; λ(1² + 1²) = 0.002 with λ = 0.001.
    let result = bradleyTerryLoss(chosen: [1], rejected: [1], magnitudeCoefficient: 0.001)
    #expect(abs(result.loss - (0.693_147_18 + 0.002)) < 1e-7)
    #expect(abs(result.dChosen[0] - (-0.5 + 0.002)) < 1e-7)
    #expect(abs(result.dRejected[0] - (0.5 + 0.002)) < 1e-7)
  }

  @Test func finiteAtHugeMargins() {
    let result = bradleyTerryLoss(
      chosen: [-1000, 1000], rejected: [1000, -1000], magnitudeCoefficient: 0)
    #expect(result.loss.isFinite)
    #expect(abs(result.loss - 1000) < 1e-9)  // (2000 + 0)/2
    #expect(result.dChosen.allSatisfy { $0.isFinite })
  }

  @Test func gradientMatchesFiniteDifferences() {
    let chosen: [Float] = [0.3, -1.2, 2.5]
    let rejected: [Float] = [0.1, 0.4, -0.7]
    let result = bradleyTerryLoss(chosen: chosen, rejected: rejected, magnitudeCoefficient: 0.01)
    let h: Float = 1e-2
    for i in chosen.indices {
      var up = chosen
      var down = chosen
      up[i] += h
      down[i] -= h
      let numeric =
        (bradleyTerryLoss(chosen: up, rejected: rejected, magnitudeCoefficient: 0.01).loss
          - bradleyTerryLoss(chosen: down, rejected: rejected, magnitudeCoefficient: 0.01).loss)
        / Double(2 * h)
      #expect(abs(numeric - Double(result.dChosen[i])) < 1e-4)
    }
  }
}
