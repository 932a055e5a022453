// The error's message names the place and the remedy.

import BPE
import Testing

@Suite struct BPEErrorTests {
  @Test func descriptionNamesPlaceAndRemedy() {
    let error: BPEError = .malformedTokenizer(
      path: "t.json", pointer: "/model/merges/3", detail: "bad merge")
    #expect(error.description == "t.json: /model/merges/3: invalid tokenizer: bad merge")
  }
}
