// GPT-2 hyperparameters and their Hugging Face `config.json` form.
// Field names follow the literature; the JSON keys are transformers' GPT2Config keys
// (vocab_size, n_positions, n_layer, n_head, n_embd), so a run directory loads in transformers.

import FoundationEssentials

/// The shape of a GPT-2 model.
public struct ModelConfig: Sendable, Equatable {
  /// Vocabulary size V (rows of the token embedding, columns of the logits).
  public var vocabularySize: Int
  /// Maximum sequence length T (rows of the position embedding).
  public var contextLength: Int
  /// Number of transformer blocks L.
  public var layerCount: Int
  /// Attention heads per block NH; `channelCount` must be a multiple of it.
  public var headCount: Int
  /// Model width C (embedding size).
  public var channelCount: Int
  /// Whether the model carries a value head: one scalar per position, read from the final
  /// LayerNorm output through `score.weight` (1, C), as in GPT2ForSequenceClassification.
  public var hasValueHead: Bool
  /// LayerNorm epsilon (GPT-2: 1e-5).
  public var layerNormEpsilon: Float

  /// A config; `channelCount` must be divisible by `headCount`.
  public init(
    vocabularySize: Int, contextLength: Int, layerCount: Int, headCount: Int,
    channelCount: Int, hasValueHead: Bool = false, layerNormEpsilon: Float = 1e-5
  ) {
    self.vocabularySize = vocabularySize
    self.contextLength = contextLength
    self.layerCount = layerCount
    self.headCount = headCount
    self.channelCount = channelCount
    self.hasValueHead = hasValueHead
    self.layerNormEpsilon = layerNormEpsilon
  }

  /// Channels per head (C / NH).
  public var headSize: Int { channelCount / headCount }

  /// Checks the invariants; returns a description of the first violation, or nil.
  public var problem: String? {
    if vocabularySize < 1 { return "vocab_size must be positive" }
    if contextLength < 1 { return "n_positions must be positive" }
    if layerCount < 1 { return "n_layer must be positive" }
    if headCount < 1 || channelCount < 1 { return "n_head and n_embd must be positive" }
    if channelCount % headCount != 0 {
      return "n_embd (\(channelCount)) must be divisible by n_head (\(headCount))"
    }
    return nil
  }

  /// Number of parameters (the LM head is tied to the token embedding and not counted twice).
  public var parameterCount: Int { ParameterLayout(config: self).totalCount }
}

// MARK: - config.json

extension ModelConfig {
  /// The Hugging Face `config.json` text for this config (deterministic, keys in a fixed order).
  /// A model with a value head is declared as GPT2ForSequenceClassification with one label.
  /// - Parameter extra: additional top-level string fields (for example token ids as strings
  ///   are not needed; use it for provenance only).
  public func huggingFaceJSON(extra: [String: String] = [:]) -> String {
    let architecture = hasValueHead ? "GPT2ForSequenceClassification" : "GPT2LMHeadModel"
    var lines = [
      "\"activation_function\": \"gelu_new\"",
      "\"architectures\": [\"\(architecture)\"]",
      "\"attn_pdrop\": 0.0",
      "\"embd_pdrop\": 0.0",
      "\"layer_norm_epsilon\": \(formatFloat(layerNormEpsilon))",
      "\"model_type\": \"gpt2\"",
      "\"n_ctx\": \(contextLength)",
      "\"n_embd\": \(channelCount)",
      "\"n_head\": \(headCount)",
      "\"n_inner\": null",
      "\"n_layer\": \(layerCount)",
      "\"n_positions\": \(contextLength)",
      "\"resid_pdrop\": 0.0",
      "\"scale_attn_weights\": true",
      "\"summary_first_dropout\": 0.0",
      "\"tie_word_embeddings\": true",
      "\"torch_dtype\": \"float32\"",
      "\"use_cache\": true",
      "\"vocab_size\": \(vocabularySize)",
    ]
    if hasValueHead {
      lines.append("\"id2label\": {\"0\": \"LABEL_0\"}")
      lines.append("\"label2id\": {\"LABEL_0\": 0}")
      lines.append("\"seq2seqrm_value_head\": true")
    }
    for key in extra.keys.sorted() {
      lines.append("\(jsonString(key)): \(jsonString(extra[key]!))")
    }
    return "{\n  " + lines.joined(separator: ",\n  ") + "\n}\n"
  }

  /// Parses a Hugging Face GPT-2 `config.json`.
  /// - Throws: `CheckpointError.badConfig` when a required key is missing or the model is not
  ///   a plain GPT-2 (other activation, untied embeddings, n_inner ≠ 4·n_embd).
  public static func parseHuggingFaceJSON(_ bytes: [UInt8], path: String) throws -> ModelConfig {
    let raw: HuggingFaceConfig
    do {
      raw = try JSONDecoder().decode(HuggingFaceConfig.self, from: Data(bytes))
    } catch {
      throw CheckpointError.badConfig(path: path, detail: "not a GPT-2 config.json: \(error)")
    }
    func require(_ value: Int?, _ key: String) throws -> Int {
      guard let value else {
        throw CheckpointError.badConfig(path: path, detail: "missing \"\(key)\"")
      }
      return value
    }
    let channels = try require(raw.n_embd, "n_embd")
    if let type = raw.model_type, type != "gpt2" {
      throw CheckpointError.badConfig(
        path: path, detail: "model_type is \"\(type)\", expected \"gpt2\"")
    }
    if let activation = raw.activation_function, activation != "gelu_new",
      activation != "gelu_pytorch_tanh"
    {
      throw CheckpointError.badConfig(
        path: path, detail: "activation_function \"\(activation)\" is not supported (gelu_new only)"
      )
    }
    if let inner = raw.n_inner, inner != 4 * channels {
      throw CheckpointError.badConfig(
        path: path, detail: "n_inner \(inner) ≠ 4·n_embd is not supported")
    }
    if raw.tie_word_embeddings == false {
      throw CheckpointError.badConfig(path: path, detail: "untied embeddings are not supported")
    }
    let valueHead =
      raw.seq2seqrm_value_head
      ?? (raw.architectures?.contains("GPT2ForSequenceClassification") ?? false)
    let config = ModelConfig(
      vocabularySize: try require(raw.vocab_size, "vocab_size"),
      contextLength: try require(raw.n_positions ?? raw.n_ctx, "n_positions"),
      layerCount: try require(raw.n_layer, "n_layer"), headCount: try require(raw.n_head, "n_head"),
      channelCount: channels, hasValueHead: valueHead,
      layerNormEpsilon: Float(raw.layer_norm_epsilon ?? 1e-5))
    if let problem = config.problem { throw CheckpointError.badConfig(path: path, detail: problem) }
    return config
  }
}

/// The subset of transformers' GPT2Config that we read.
private struct HuggingFaceConfig: Decodable {
  var vocab_size: Int?
  var n_positions: Int?
  var n_ctx: Int?
  var n_layer: Int?
  var n_head: Int?
  var n_embd: Int?
  var n_inner: Int?
  var layer_norm_epsilon: Double?
  var activation_function: String?
  var model_type: String?
  var architectures: [String]?
  var tie_word_embeddings: Bool?
  var seq2seqrm_value_head: Bool?
}

/// Shortest decimal that round-trips through Float (Swift's description), e.g. "1e-05".
func formatFloat(_ value: Float) -> String {
  let text = "\(value)"
  return text.contains("e") || text.contains(".") ? text : text + ".0"
}

/// A JSON string literal with the required escapes.
func jsonString(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default:
      if scalar.value < 0x20 {
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}
