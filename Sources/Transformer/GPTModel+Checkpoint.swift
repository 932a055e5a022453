// Checkpoints as Hugging Face GPT-2 directories: `config.json` + `model.safetensors` (F32).
// Names are transformers' (`transformer.h.0.attn.c_attn.weight`, …; Conv1D weights (in, out));
// the tied LM head is not stored (transformers re-ties it); a value head is `score.weight`
// (1, C) as in GPT2ForSequenceClassification — for scalar reward models and critics alike.
// Loading accepts names with or without the `transformer.` prefix (hub GPT-2 files have none)
// and ignores the attention-mask buffers (`attn.bias`, `attn.masked_bias`) and `lm_head.weight`.

#if canImport(Glibc)
import Glibc
#endif

extension GPTModel {
  /// File names inside a checkpoint directory.
  public static let configFileName = "config.json"
  /// File names inside a checkpoint directory.
  public static let weightsFileName = "model.safetensors"

  /// Writes `config.json` and `model.safetensors` into `directory` (created if missing), each
  /// atomically. `extraMetadata` goes into the safetensors `__metadata__` next to
  /// `"format": "pt"` (lineage, tokenizer hash, special ids).
  /// - Throws: `CheckpointError.io`.
  public func save(directory: String, extraMetadata: [String: String] = [:]) throws {
    if mkdir(directory, 0o755) != 0 && errno != EEXIST {
      throw CheckpointError.io(path: directory, operation: "create directory", errno: errno)
    }
    var metadata = extraMetadata
    metadata["format"] = "pt"
    let base = UnsafeBufferPointer(parameters.storage)
    let tensors = layout.entries.map { entry in
      (
        name: entry.name, shape: entry.view.shape,
        values: UnsafeBufferPointer(rebasing: base[entry.view.offset..<entry.view.end])
      )
    }
    try SafeTensorsFile.write(
      path: directory + "/" + Self.weightsFileName, tensors: tensors, metadata: metadata)
    try AtomicWriter.write(
      path: directory + "/" + Self.configFileName, text: config.huggingFaceJSON())
  }

  /// Loads a GPT-2 checkpoint directory written by `save` or by transformers'
  /// `save_pretrained` (safetensors, float32). A `score.weight` tensor makes it a model with a
  /// value head. To add special tokens to a pretrained model, call `resizeVocabulary(to:)`.
  /// - Throws: `CheckpointError` naming the file and tensor at fault.
  public static func load(directory: String) throws -> GPTModel {
    let configPath = directory + "/" + configFileName
    let weightsPath = directory + "/" + weightsFileName
    var config = try ModelConfig.parseHuggingFaceJSON(
      try readWholeFile(path: configPath), path: configPath)
    let (tensors, _) = try SafeTensorsFile.read(path: weightsPath)
    var byName: [String: SafeTensor] = [:]
    for (name, tensor) in tensors {
      var key = name
      if key.hasPrefix("transformer.") { key.removeFirst("transformer.".count) }
      if key.hasSuffix(".attn.bias") || key.hasSuffix(".attn.masked_bias")
        || key == "lm_head.weight"
      {
        continue
      }
      byName[key] = tensor
    }
    config.hasValueHead = byName["score.weight"] != nil
    let layout = ParameterLayout(config: config)
    let arena = FloatArena(count: layout.totalCount)
    for entry in layout.entries {
      let key =
        entry.name.hasPrefix("transformer.")
        ? String(entry.name.dropFirst("transformer.".count)) : entry.name
      guard let tensor = byName.removeValue(forKey: key) else {
        throw CheckpointError.missingTensor(path: weightsPath, tensor: entry.name)
      }
      guard tensor.shape == entry.view.shape else {
        throw CheckpointError.shapeMismatch(
          path: weightsPath, tensor: entry.name, expected: entry.view.shape, found: tensor.shape)
      }
      _ = arena[entry.view].update(fromContentsOf: tensor.values)
    }
    if let extra = byName.keys.sorted().first {
      throw CheckpointError.badHeader(
        path: weightsPath, detail: "unexpected tensor \(extra) (not part of GPT-2 with this config)"
      )
    }
    return GPTModel(config: config, parameters: arena)
  }
}

extension AdamW {
  /// Writes the optimizer state (moments and step count) to a safetensors file, atomically.
  /// - Throws: `CheckpointError.io`.
  public func save(path: String) throws {
    try SafeTensorsFile.write(
      path: path,
      tensors: [
        (
          name: "adamw.m", shape: [firstMoment.count],
          values: UnsafeBufferPointer(firstMoment.storage)
        ),
        (
          name: "adamw.v", shape: [secondMoment.count],
          values: UnsafeBufferPointer(secondMoment.storage)
        ),
      ],
      metadata: ["step": String(stepCount), "format": "seq2seqrm-adamw"])
  }

  /// Restores the state written by `save(path:)`.
  /// - Throws: `CheckpointError` when the file is unreadable or sized for another model.
  public func load(path: String) throws {
    let (tensors, metadata) = try SafeTensorsFile.read(path: path)
    guard let m = tensors["adamw.m"] else {
      throw CheckpointError.missingTensor(path: path, tensor: "adamw.m")
    }
    guard let v = tensors["adamw.v"] else {
      throw CheckpointError.missingTensor(path: path, tensor: "adamw.v")
    }
    guard let step = metadata["step"].flatMap({ Int($0) }) else {
      throw CheckpointError.badHeader(path: path, detail: "__metadata__.step is missing")
    }
    guard m.values.count == firstMoment.count, v.values.count == secondMoment.count else {
      throw CheckpointError.shapeMismatch(
        path: path, tensor: "adamw.m", expected: [firstMoment.count], found: m.shape)
    }
    try restore(stepCount: step, firstMoment: m.values, secondMoment: v.values)
  }
}
