// Errors of the token-shard module (STYLE.md D5): binary files check themselves and say what to re-run.
// One case per remedy; the path (and, for streams, the byte offset) is a typed field.

import Corpus

/// An error raised while building targets, writing, reading or verifying token shards and streams.
public enum ShardError: Error, Equatable, CustomStringConvertible {
  /// A binary header or size check failed.
  case badHeader(path: String, expected: String, found: String)
  /// An index, mask or manifest breaks an invariant (pointer prefix sums, document boundaries, …).
  case invariantViolated(path: String, detail: String)
  /// A file's bytes differ from the sha256 or size the manifest records.
  case checksumMismatch(path: String, expected: String, found: String)
  /// A file the manifest lists (or the directory needs) is absent.
  case missingFile(path: String)
  /// The directory has no manifest: a run was interrupted or is still writing.
  case incomplete(directory: String)
  /// The path is not a shard directory at all: it does not exist, is a file, or holds other files.
  case notShardDirectory(path: String, detail: String)
  /// A token id does not fit the vocabulary or the on-disk dtype (never wrapped; K16).
  case tokenOutOfRange(path: String, id: UInt32, limit: UInt64, detail: String)
  /// A stream ended before its trailer (`offset` = bytes read).
  case streamTruncated(offset: Int, detail: String)
  /// A stream is malformed at `offset` (bad magic, bad tag, bad checksum).
  case streamCorrupt(offset: Int, detail: String)
  /// Tokenizer or special ids differ between two stages.
  case tokenizerMismatch(expected: String, found: String, detail: String)
  /// A configuration value is out of range (a programming or usage mistake caught by the library).
  case invalidConfiguration(detail: String)
  /// Reading or writing failed at the system level.
  case ioFailed(path: String, errno: Int32)

  public var description: String {
    switch self {
    case .badHeader(let path, let expected, let found):
      return
        "\(path): bad header: expected \(expected), found \(found); re-run rmprep to rebuild it"
    case .invariantViolated(let path, let detail):
      // A detail that names its own remedy (a command to run, or a report to file) keeps it alone.
      let ownRemedy = detail.contains("rmprep") || detail.contains("please report")
      return "\(path): invalid: \(detail)" + (ownRemedy ? "" : "; re-run rmprep to rebuild it")
    case .checksumMismatch(let path, let expected, let found):
      return
        "\(path): checksum mismatch: manifest says \(expected), file has \(found); "
        + "the file was changed or truncated; re-run rmprep convert "
        + "(rmprep verify DIR lists every problem)"
    case .missingFile(let path):
      return "\(path): missing; re-run rmprep to rebuild the shard directory"
    case .incomplete(let directory):
      return
        "\(directory): no manifest.json, so the shard directory is incomplete "
        + "(interrupted run?); re-run rmprep convert"
    case .notShardDirectory(let path, let detail):
      return "\(path): \(detail)"
    case .tokenOutOfRange(let path, let id, let limit, let detail):
      return "\(path): token id \(id) is out of range (limit \(limit)): \(detail)"
    case .streamTruncated(let offset, let detail):
      return
        "<stream> @ byte \(offset): stream ended before its trailer (\(detail)); "
        + "the producer died or was cut off, nothing was kept"
    case .streamCorrupt(let offset, let detail):
      return "<stream> @ byte \(offset): corrupt stream: \(detail)"
    case .tokenizerMismatch(let expected, let found, let detail):
      return
        "tokenizer mismatch: expected \(expected), found \(found) (\(detail)); "
        + "use the tokenizer.json the data was made with"
    case .invalidConfiguration(let detail):
      return "invalid configuration: \(detail)"
    case .ioFailed(let path, let code):
      return "\(path): \(CorpusError.message(for: code))"
    }
  }
}
