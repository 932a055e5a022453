// Errors of the byte-level BPE module (STYLE.md D5): one case per remedy, location as typed fields.

import Corpus

/// An error raised while loading, training or using a tokenizer.
public enum BPEError: Error, Equatable, CustomStringConvertible {
  /// A tokenizer file is malformed; `pointer` is a JSON pointer (or `line N` for text formats).
  case malformedTokenizer(path: String, pointer: String, detail: String)

  public var description: String {
    switch self {
    case .malformedTokenizer(let path, let pointer, let detail):
      return "\(path): \(pointer): invalid tokenizer: \(detail)"
    }
  }
}
