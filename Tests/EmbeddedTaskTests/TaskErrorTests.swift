// The error's message names the place and the remedy.

import EmbeddedTask
import Testing

@Suite struct TaskErrorTests {
  @Test func descriptionNamesPlaceAndRemedy() {
    let error: TaskError = .unknownTask(name: "x", known: ["a", "b"])
    #expect(error.description == "unknown task 'x': expected one of a, b")
  }
}
