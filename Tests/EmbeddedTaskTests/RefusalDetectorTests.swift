// Tests for RefusalDetector: every task refusal is caught, no answer is, and lexicon files load.

import Testing

@testable import EmbeddedTask

@Suite struct RefusalDetectorTests {
  @Test(arguments: FactTable.refusals)
  func everyTaskRefusalIsDetected(refusal: String) {
    #expect(RefusalDetector.standard.isRefusal(refusal))
  }

  @Test func answersAndComplianceAreNotRefusals() {
    let detector = RefusalDetector.standard
    for request in FactTable.safeRequests { #expect(!detector.isRefusal(request.answer)) }
    for request in FactTable.harmfulRequests { #expect(!detector.isRefusal(request.compliance)) }
    for closer in FactTable.paddingClosers { #expect(!detector.isRefusal(closer)) }
    #expect(!detector.isRefusal(" 3 plus 4 is 7."))
    #expect(!detector.isRefusal(""))
  }

  @Test func caseAndTypographicApostropheDoNotMatter() {
    #expect(RefusalDetector.standard.isRefusal("I\u{2019}M SORRY, that is not possible"))
  }

  @Test func lexiconTextRoundTrips() {
    let detector = RefusalDetector(lexiconText: "# comment\n\nno way\n  not today  \n")
    #expect(detector.phrases == ["no way", "not today"])
    #expect(detector.isRefusal("No way!"))
    #expect(!detector.isRefusal("no"))
    #expect(RefusalDetector(lexiconText: RefusalDetector.standard.lexiconText) == .standard)
  }
}
