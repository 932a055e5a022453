// Checkpoint errors name the file, the tensor or byte counts, and the remedy.

import Testing
import Transformer

@Suite struct CheckpointErrorTests {
  @Test func truncatedNamesSizesAndRemedy() {
    let error: CheckpointError = .truncated(
      path: "m.safetensors", expectedBytes: 100, foundBytes: 60)
    #expect(
      error.description
        == "m.safetensors: truncated: 60 bytes, the header needs 100; the file was cut off or not fully written, copy or save it again"
    )
  }

  @Test func shapeMismatchNamesTensor() {
    let error: CheckpointError = .shapeMismatch(
      path: "d/model.safetensors", tensor: "transformer.wte.weight", expected: [10, 4],
      found: [12, 4])
    #expect(
      error.description.hasPrefix(
        "d/model.safetensors: tensor transformer.wte.weight has shape [12, 4]"))
  }
}
