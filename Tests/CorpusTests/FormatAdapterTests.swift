// Adapters on hand-written records with exact expected texts: the HH-RLHF prompt rule (no
// off-by-one, no negative index, never a cut inside a turn), the implicit-prompt rules of TRL, the
// chat template, and the preference rules of PKU, SHP, HelpSteer2 and UltraFeedback.

import Testing

@testable import Corpus

@Suite struct FormatAdapterTests {
  func pair(_ adapter: some RecordAdapter, _ json: String) throws -> AdapterResult {
    try adapter.convert(try JSONParser.parse(json))
  }

  @Test func hhPromptEndsAtTheLastSharedAssistantMarker() {
    func cut(_ c: String, _ r: String) -> Int? {
      HHRLHFAdapter.promptLength(chosen: Array(c.utf8), rejected: Array(r.utf8))
    }
    let h = "\n\nHuman: hi\n\nAssistant:"
    #expect(cut(h + " a", h + " b") == h.utf8.count)
    #expect(cut(h + " same", h + " same") == h.utf8.count)  // identical: still a valid cut
    #expect(cut(h, h + " b") == h.utf8.count)  // empty chosen reply
    #expect(cut("\n\nHuman: a\n\nAssistant: x", "\n\nHuman: b\n\nAssistant: x") == nil)
    #expect(cut("", "") == nil)
    #expect(cut("\n\nAssistant", "\n\nAssistant") == nil)  // marker incomplete
    // Divergence inside the marker of a later turn: back to the previous marker.
    #expect(cut(h + " a\n\nAssistant: b", h + " a\n\nAssist") == h.utf8.count)
  }

  @Test func trlImplicitStringPromptKeepsTheSpaceWithResponses() throws {
    let result = try pair(
      TRLAdapter(), #"{"chosen":"The sky is blue.","rejected":"The sky is green."}"#)
    #expect(
      result
        == .pair(prompt: "The sky is", chosen: " blue.", rejected: " green.", meta: .object([])))
    #expect(
      try pair(TRLAdapter(), #"{"chosen":"Yes","rejected":"No"}"#) == .dropped(.noCommonPrompt))
  }

  @Test func chatTemplateRendersTranscripts() throws {
    let json = #"""
      {"prompt":[{"role":"system","content":"S"},{"role":"user","content":"Q"}],
       "chosen":[{"role":"assistant","content":"A"},{"role":"user","content":"more"},{"role":"assistant","content":"B"}],
       "rejected":[{"role":"assistant","content":"C"}]}
      """#
    #expect(
      try pair(TRLAdapter(), json)
        == .pair(
          prompt: "\n\nSystem: S\n\nHuman: Q\n\nAssistant:",
          chosen: " A\n\nHuman: more\n\nAssistant: B", rejected: " C", meta: .object([])))
  }

  @Test func pkuPicksTheChosenIndexPerAxis() throws {
    let json =
      #"{"prompt":"p","response_0":"r0","response_1":"r1","better_response_id":0,"safer_response_id":1}"#
    let better = try pair(PKUSafeRLHFAdapter(axis: .better), json)
    let safer = try pair(PKUSafeRLHFAdapter(axis: .safer), json)
    guard case .pair(_, let c1, let r1, _) = better, case .pair(_, let c2, let r2, _) = safer else {
      Issue.record("expected pairs")
      return
    }
    #expect((c1, r1) == ("r0", "r1"))
    #expect((c2, r2) == ("r1", "r0"))
  }

  @Test func shpAndHelpSteerPreferenceDirections() throws {
    let shp = try pair(
      SHPAdapter(), #"{"history":"h","human_ref_A":"A","human_ref_B":"B","labels":0}"#)
    guard case .pair(_, let chosen, _, _) = shp else {
      Issue.record("pair expected")
      return
    }
    #expect(chosen == "B")
    let hs = try pair(
      HelpSteer2Adapter(),
      #"{"prompt":"p","response_1":"one","response_2":"two","preference_strength":-1}"#)
    guard case .pair(_, let hsChosen, _, _) = hs else {
      Issue.record("pair expected")
      return
    }
    #expect(hsChosen == "one")
  }

  @Test func ultraFeedbackScoresAreMeansOfNumericRatings() throws {
    let completion = try JSONParser.parse(
      #"{"annotations":{"helpfulness":{"Rating":"4"},"honesty":{"Rating":"N/A"},"truthfulness":{"Rating":"5"},"instruction_following":{"Rating":"3"}}}"#
    )
    #expect(UltraFeedbackAdapter.score(completion) == 4.0)
    #expect(UltraFeedbackAdapter.score(try JSONParser.parse(#"{"fine-grained_score":2.5}"#)) == 2.5)
    #expect(UltraFeedbackAdapter.score(try JSONParser.parse("{}")) == nil)
  }
}
