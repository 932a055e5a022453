// The error's message names the place and the remedy.

import Testing
import TokenShards

@Suite struct ShardErrorTests {
  @Test func descriptionNamesPlaceAndRemedy() {
    let error: ShardError = .badHeader(path: "a.idx", expected: "MMIDIDX", found: "XX")
    #expect(
      error.description
        == "a.idx: bad header: expected MMIDIDX, found XX; re-run rmprep to rebuild it")
  }
}
