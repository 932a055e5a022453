// Checkpoint round trips and the errors for truncated, mismatched and foreign files.

import FoundationEssentials
import Testing

@testable import Transformer

#if canImport(Glibc)
import Glibc
#endif

/// A fresh empty directory under /tmp for one test.
func temporaryDirectory(_ name: String) -> String {
  let path = "/tmp/seq2seqrm-engine-tests-\(getpid())-\(name)"
  _ = try? FileManager.default.removeItem(atPath: path)
  try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

@Suite struct CheckpointTests {
  @Test func saveAndLoadRoundTripBitForBit() throws {
    let directory = temporaryDirectory("roundtrip")
    let model = GPTModel(config: tinyConfig(valueHead: true), seed: 21)
    try model.save(directory: directory, extraMetadata: ["tokenizer_sha256": "abc"])
    let loaded = try GPTModel.load(directory: directory)
    #expect(loaded.config == model.config)
    #expect(Array(loaded.parameters.storage) == Array(model.parameters.storage))
    let (_, metadata) = try SafeTensorsFile.read(path: directory + "/model.safetensors")
    #expect(metadata == ["format": "pt", "tokenizer_sha256": "abc"])
    let names = Set(try SafeTensorsFile.read(path: directory + "/model.safetensors").tensors.keys)
    #expect(names.contains("transformer.h.1.attn.c_attn.weight"))
    #expect(names.contains("score.weight"))
    #expect(!names.contains("lm_head.weight"))
    let entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    #expect(entries == ["config.json", "model.safetensors"])  // no temp files left
  }

  @Test func configJSONRoundTrips() throws {
    let config = ModelConfig(
      vocabularySize: 300, contextLength: 64, layerCount: 3, headCount: 4, channelCount: 32)
    let text = config.huggingFaceJSON()
    #expect(text.contains("\"architectures\": [\"GPT2LMHeadModel\"]"))
    #expect(text.contains("\"n_embd\": 32"))
    let parsed = try ModelConfig.parseHuggingFaceJSON(Array(text.utf8), path: "config.json")
    #expect(parsed == config)
  }

  @Test func safetensorsHeaderLayout() throws {
    let path = temporaryDirectory("layout") + "/t.safetensors"
    let values: [Float] = [1, 2, 3]
    try values.withUnsafeBufferPointer {
      try SafeTensorsFile.write(
        path: path, tensors: [(name: "a", shape: [3], values: $0)], metadata: [:])
    }
    let bytes = try readWholeFile(path: path)
    let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#
    let padded = (header.utf8.count + 7) / 8 * 8
    #expect(bytes.count == 8 + padded + 12)
    #expect(Array(bytes[0..<8]) == [UInt8(padded), 0, 0, 0, 0, 0, 0, 0])
    #expect(String(decoding: bytes[8..<(8 + header.utf8.count)], as: UTF8.self) == header)
    #expect(Array(bytes[(8 + padded)...]) == [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40])
  }

  @Test func truncatedFileIsAClearError() throws {
    let directory = temporaryDirectory("truncated")
    try GPTModel(config: tinyConfig(), seed: 22).save(directory: directory)
    let path = directory + "/model.safetensors"
    let size = try readWholeFile(path: path).count
    #expect(truncate(path, off_t(size - 10)) == 0)
    let error = #expect(throws: CheckpointError.self) { try GPTModel.load(directory: directory) }
    guard case .truncated(let p, let expected, let found)? = error else {
      Issue.record("expected .truncated, got \(String(describing: error))")
      return
    }
    #expect(p == path && expected == size && found == size - 10)
  }

  @Test func mismatchedConfigIsAClearError() throws {
    let directory = temporaryDirectory("mismatch")
    try GPTModel(config: tinyConfig(), seed: 23).save(directory: directory)
    var other = tinyConfig()
    other.channelCount = 16
    try other.huggingFaceJSON().write(
      toFile: directory + "/config.json", atomically: true, encoding: .utf8)
    let error = #expect(throws: CheckpointError.self) { try GPTModel.load(directory: directory) }
    #expect(
      error
        == .shapeMismatch(
          path: directory + "/model.safetensors", tensor: "transformer.wte.weight",
          expected: [11, 16],
          found: [11, 8]))
  }

  @Test func nonF32TensorsAreRejected() throws {
    let path = temporaryDirectory("dtype") + "/h.safetensors"
    let header = Array(#"{"x":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#.utf8)
    var bytes: [UInt8] = [UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header + [0, 0]
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    bytes.removeAll()
    #expect(throws: CheckpointError.unsupportedDType(path: path, tensor: "x", dtype: "F16")) {
      try SafeTensorsFile.read(path: path)
    }
  }

  @Test func unsupportedConfigIsRejected() {
    let json =
      #"{"model_type": "gpt2", "vocab_size": 10, "n_positions": 8, "n_layer": 1, "n_head": 2, "n_embd": 8, "activation_function": "relu"}"#
    #expect(throws: CheckpointError.self) {
      try ModelConfig.parseHuggingFaceJSON(Array(json.utf8), path: "c.json")
    }
    let missing = #"{"model_type": "gpt2", "vocab_size": 10}"#
    #expect(throws: CheckpointError.badConfig(path: "c.json", detail: "missing \"n_embd\"")) {
      try ModelConfig.parseHuggingFaceJSON(Array(missing.utf8), path: "c.json")
    }
  }

  @Test func optimizerStateRoundTrips() throws {
    let path = temporaryDirectory("adamw") + "/optimizer.safetensors"
    let model = GPTModel(config: tinyConfig(), seed: 24)
    let optimizer = AdamW(model: model, learningRate: 1e-3)
    for i in 0..<model.parameterCount { model.gradients.storage[i] = Float(i % 7) - 3 }
    optimizer.step()
    optimizer.step()
    try optimizer.save(path: path)
    let restored = AdamW(model: model, learningRate: 1e-3)
    try restored.load(path: path)
    #expect(restored.stepCount == 2)
    #expect(Array(restored.firstMoment.storage) == Array(optimizer.firstMoment.storage))
    #expect(Array(restored.secondMoment.storage) == Array(optimizer.secondMoment.storage))
  }
}
