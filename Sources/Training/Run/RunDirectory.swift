// RunDirectory: the files of one rmtrain run (DESIGN.md "Run directory"), every one written
// atomically (temp + rename):
//   config.json        Hugging Face GPT-2 config (loadable by transformers) + "seq2seqrm": every
//                      training setting, special ids, tokenizer sha256 and lineage
//   model.safetensors  HF GPT-2 tensor names; a scalar RM's head is score.weight [1, n_embd]
//   tokenizer.json     copy of the tokenizer the data was made with
//   rm_config.json     kind, special token ids, extraction knobs (what rmppo needs)
//   metrics.jsonl      one line per optimizer step;  eval.json  validation history + final metrics
//   loss.svg           training and validation loss curves
//   checkpoint/        model + optimizer.safetensors + trainer_state.json, for --resume

import Corpus
import Transformer

#if canImport(Glibc)
import Glibc
#endif

/// Paths and atomic writers of a run directory.
public struct RunDirectory: Sendable {
  /// The directory.
  public let path: String

  /// File names inside a run directory.
  public static let metricsFileName = "metrics.jsonl"
  public static let evalFileName = "eval.json"
  public static let lossPlotFileName = "loss.svg"
  public static let tokenizerFileName = "tokenizer.json"
  public static let rmConfigFileName = "rm_config.json"
  public static let checkpointDirectoryName = "checkpoint"
  static let optimizerFileName = "optimizer.safetensors"
  static let trainerStateFileName = "trainer_state.json"

  /// A run directory at `path` (not created until `create()`).
  public init(path: String) { self.path = path }

  /// `path/name`.
  public func file(_ name: String) -> String { path + "/" + name }

  /// The checkpoint directory.
  public var checkpointPath: String { file(Self.checkpointDirectoryName) }

  /// Creates the directory (and missing parents).
  /// - Throws: `TrainingError.badRunDirectory` when it cannot be created.
  public func create() throws { try makeRunDirectories(path) }

  /// Writes `bytes` to `name` atomically.
  public func write(_ bytes: [UInt8], to name: String) throws {
    try AtomicFile.write(bytes, to: file(name))
  }

  /// Writes pretty-printed JSON to `name` atomically, with a final newline.
  public func writeJSON(_ value: JSONValue, to name: String) throws {
    try write(Array((JSONWriter.prettyString(value) + "\n").utf8), to: name)
  }

  /// Reads and parses the JSON file `name`.
  /// - Throws: `TrainingError.badRunDirectory` when missing; the parser's error when malformed.
  public func readJSON(_ name: String) throws -> JSONValue {
    try JSONParser.parse(readFileBytes(file(name)), path: file(name))
  }

  /// Whether `name` exists.
  public func exists(_ name: String) -> Bool { access(file(name), F_OK) == 0 }
}

/// Creates `path` and its missing parents (mode 0755).
/// - Throws: `TrainingError.badRunDirectory` naming the errno.
func makeRunDirectories(_ path: String) throws {
  do { try makeDirectories(path) } catch CorpusError.cannotCreate(let prefix, let code) {
    throw TrainingError.badRunDirectory(
      path: path, detail: "cannot create \(prefix): \(String(cString: strerror(code)))")
  }
}

/// The whole file at `path`.
/// - Throws: `TrainingError.badRunDirectory` when it cannot be opened or read.
func readFileBytes(_ path: String) throws -> [UInt8] {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else {
    throw TrainingError.badRunDirectory(
      path: path, detail: "cannot open: \(String(cString: strerror(errno)))")
  }
  defer { close(fd) }
  var out: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 && errno == EINTR { continue }
    guard n >= 0 else {
      throw TrainingError.badRunDirectory(
        path: path, detail: "cannot read: \(String(cString: strerror(errno)))")
    }
    if n == 0 { return out }
    out.append(contentsOf: chunk[0..<n])
  }
}

/// Removes the files `names` inside `directory`, then the directory; missing ones are ignored.
func removeDirectory(_ directory: String, files names: [String]) {
  for name in names { unlink(directory + "/" + name) }
  rmdir(directory)
}
