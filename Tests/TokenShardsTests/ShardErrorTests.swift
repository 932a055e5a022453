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

  @Test func aDetailWithItsOwnRemedyIsNotGivenTheGenericOne() {
    #expect(
      ShardError.invariantViolated(path: "t.idx", detail: "pointer 3 is not 2").description
        == "t.idx: invalid: pointer 3 is not 2; re-run rmprep to rebuild it")
    let own = "rank 2 has not finished; run rmprep shard --rank 2"
    #expect(
      ShardError.invariantViolated(path: "parts", detail: own).description
        == "parts: invalid: " + own)
    #expect(
      ShardError.invariantViolated(path: "a", detail: "internal error (please report this)")
        .description == "a: invalid: internal error (please report this)")
  }
}
