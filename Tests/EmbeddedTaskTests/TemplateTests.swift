// Tests for Template: filling and matching "{slot}" templates.

import Testing

@testable import EmbeddedTask

@Suite struct TemplateTests {
  @Test func fillReplacesEverySlot() {
    let template = Template("What is {a} {op} {b}?")
    #expect(template.fill(["a": "3", "op": "plus", "b": "4"]) == "What is 3 plus 4?")
  }

  @Test func matchRecoversSlotValues() {
    let template = Template("What is {a} {op} {b}?")
    #expect(template.match("What is 3 plus 4?") == ["a": "3", "op": "plus", "b": "4"])
    #expect(template.match("What is 12 minus 10?") == ["a": "12", "op": "minus", "b": "10"])
  }

  @Test func matchRejectsOtherShapes() {
    let template = Template("What is {a} {op} {b}?")
    #expect(template.match("What is 3 plus 4") == nil)  // missing final literal
    #expect(template.match("How is 3 plus 4?") == nil)  // wrong leading literal
    #expect(template.match("What is  plus 4?") == nil)  // empty slot
  }

  @Test func finalSlotTakesTheRest() {
    let template = Template("Tell me about {x}")
    #expect(template.match("Tell me about the sea") == ["x": "the sea"])
    #expect(template.match("Tell me about ") == nil)
  }

  @Test func slotValueMayContainSpacesAndApostrophes() {
    let template = Template("How do I {act}?")
    #expect(
      template.match("How do I hack into my ex's email?") == ["act": "hack into my ex's email"])
  }
}
