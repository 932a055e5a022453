// Errors of the token-shard module (STYLE.md D5): binary files check themselves and say what to re-run.

import Corpus

/// An error raised while writing, reading or verifying token shards and streams.
public enum ShardError: Error, Equatable, CustomStringConvertible {
  /// A binary header or size check failed.
  case badHeader(path: String, expected: String, found: String)

  public var description: String {
    switch self {
    case .badHeader(let path, let expected, let found):
      return
        "\(path): bad header: expected \(expected), found \(found); re-run rmprep to rebuild it"
    }
  }
}
