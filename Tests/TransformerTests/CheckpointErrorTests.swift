// The error's message names the place and the remedy.

import Testing
import Transformer

@Suite struct CheckpointErrorTests {
  @Test func descriptionNamesPlaceAndRemedy() {
    let error: CheckpointError = .malformed(path: "m.safetensors", detail: "truncated")
    #expect(error.description == "m.safetensors: invalid checkpoint: truncated")
  }
}
