// The error's message names the place and the remedy.

import Testing
import Training

@Suite struct TrainingErrorTests {
  @Test func descriptionNamesPlaceAndRemedy() {
    let error: TrainingError = .incompatible(what: "tokenizer sha256", expected: "aa", found: "bb")
    #expect(error.description == "incompatible tokenizer sha256: expected aa, found bb")
  }
}
