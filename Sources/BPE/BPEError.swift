// Errors of the byte-level BPE module (STYLE.md D5): one case per remedy, location as typed fields.

import Corpus

/// An error raised while loading, training or using a tokenizer.
public enum BPEError: Error, Equatable, CustomStringConvertible {
  /// A tokenizer file is malformed; `pointer` is a JSON pointer (or `line N` for text formats).
  case malformedTokenizer(path: String, pointer: String, detail: String)
  /// The file is a valid tokenizer, but of a kind this module does not implement.
  case unsupportedTokenizer(path: String, pointer: String, detail: String)
  /// The vocabulary and merges contradict each other (a byte without a token, a merge whose
  /// result is not the concatenation of its parts, an id out of range).
  case invalidModel(path: String, reason: String)
  /// Training options that cannot work together.
  case invalidTrainingOptions(detail: String)

  public var description: String {
    switch self {
    case .malformedTokenizer(let path, let pointer, let detail):
      if pointer.isEmpty { return "\(path): \(detail)" }
      return "\(path): \(pointer): invalid tokenizer: \(detail)"
    case .unsupportedTokenizer(let path, let pointer, let detail):
      return
        "\(path): \(pointer): unsupported tokenizer: \(detail); "
        + "only byte-level BPE with the gpt2, cl100k or o200k pretokenizer is supported"
    case .invalidModel(let path, let reason):
      return "\(path): inconsistent vocabulary and merges: \(reason)"
    case .invalidTrainingOptions(let detail):
      return "invalid training options: \(detail)"
    }
  }
}
