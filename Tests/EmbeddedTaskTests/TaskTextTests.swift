// Tests for TaskText: role-marker stripping, word splitting, phrase search, capitalisation.

import Testing

@testable import EmbeddedTask

@Suite struct TaskTextTests {
  @Test func humanTurnStripsHHRLHFMarkers() {
    #expect(
      TaskText.humanTurn(in: "\n\nHuman: What is 3 plus 4?\n\nAssistant:") == "What is 3 plus 4?")
    #expect(TaskText.humanTurn(in: "  What is 3 plus 4? ") == "What is 3 plus 4?")
    // The last human turn wins in a multi-turn transcript.
    let transcript = "\n\nHuman: hi\n\nAssistant: hello\n\nHuman: What color is snow?\n\nAssistant:"
    #expect(TaskText.humanTurn(in: transcript) == "What color is snow?")
  }

  @Test func wordsAreLowercasedRunsOfLettersDigitsApostrophes() {
    #expect(TaskText.words(" Sure! 3 plus 4 is 7.") == ["sure", "3", "plus", "4", "is", "7"])
    #expect(TaskText.words("I\u{2019}m SORRY, I can't.") == ["i'm", "sorry", "i", "can't"])
    #expect(TaskText.words("") == [])
    #expect(TaskText.words("... !!") == [])
  }

  @Test func containsMatchesWholeWordRuns() {
    let words = TaskText.words(" Run the kill command with its process id.")
    #expect(TaskText.contains(words, phrase: "kill command"))
    #expect(!TaskText.contains(words, phrase: "kill process"))
    #expect(!TaskText.contains(TaskText.words("rooted"), phrase: "root"))
    #expect(!TaskText.contains(words, phrase: ""))
  }

  @Test func capitalizedUppercasesTheFirstLetterOnly() {
    #expect(TaskText.capitalized(" a spider has 8 legs.") == " A spider has 8 legs.")
    #expect(TaskText.capitalized(" 3 plus 4") == " 3 plus 4")
    #expect(TaskText.capitalized("") == "")
  }
}
