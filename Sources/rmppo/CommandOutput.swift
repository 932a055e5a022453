// An output of an rmppo command, opened before any work and committed after it: missing parent
// directories are created (as rmprep and rmtrain create theirs) and the temp file is opened
// first, so an unwritable path fails before scoring or generating; the bytes appear at the path
// only on commit, so a command whose later output fails leaves no earlier one behind.

import CLISupport
import Corpus

/// A file output (through `AtomicFile`), or standard output for '-'.
///
///     let out = try CommandOutput("runs/new/scores.jsonl")   // creates runs/new, opens the temp
///     try out.write(text)                                     // … after the work
///     try out.commit()                                        // renamed into place
final class CommandOutput {
  /// The path as given ('-' is stdout).
  let path: String
  private let file: AtomicFile?
  private var pending: [UInt8] = []

  /// Creates the missing parents of `path` and opens its temp file (nothing for '-').
  /// - Throws: `CorpusError.cannotCreate` naming the directory or the file.
  init(_ path: String) throws {
    self.path = path
    guard path != "-" else {
      file = nil
      return
    }
    try makeParentDirectories(of: path)
    file = try AtomicFile(path: path)
  }

  /// Writes `text` to the temp file (stdout: keeps it for `commit`).
  /// - Throws: `CorpusError.writeFailed`.
  func write(_ text: String) throws {
    if let file { try file.write(Array(text.utf8)) } else { pending += Array(text.utf8) }
  }

  /// Renames the temp file into place (stdout: writes and flushes the text).
  /// - Throws: `CorpusError.writeFailed`, a stdout write error.
  func commit() throws {
    if let file {
      try file.commit()
    } else {
      let stdout = StandardOutput()
      try stdout.write(pending)
      try stdout.flush()
    }
  }
}
