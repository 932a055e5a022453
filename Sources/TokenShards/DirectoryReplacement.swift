// Atomic replacement of a whole output directory (DESIGN.md "Atomic outputs"): a writer fills a
// temp sibling `DIR.tmp.PID` and swaps it in only when it is complete, so an interrupted or failed
// run leaves a previous DIR exactly as it was. Missing parents of DIR are created. An existing DIR
// is replaced only when it is empty or a shard directory, never a directory of unrelated files.

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// Temp-sibling-then-swap for output directories.
public enum DirectoryReplacement {
  /// Names an existing shard directory may hold (besides `*.bin`, `*.idx` and temp files).
  static let knownNames: Set<String> = [ShardManifest.fileName, ShardManifest.tokenizerFileName]

  /// Checks that `directory` may be (re)written, creates its missing parents and an empty temp
  /// sibling, and returns the sibling's path.
  /// - Throws: `ShardError.notShardDirectory` when `directory` is a file or holds other files,
  ///   `ShardError.ioFailed` when a directory cannot be created.
  public static func prepare(_ directory: String) throws -> String {
    let target = trimmed(directory)
    var info = stat()
    if stat(target, &info) == 0 {
      guard (info.st_mode & S_IFMT) == S_IFDIR else {
        throw ShardError.notShardDirectory(
          path: directory, detail: "is a file, not a shard directory; choose another -o")
      }
      let foreign = try ShardFiles.list(target).filter { !isShardFileName($0) }
      guard foreign.isEmpty else {
        throw ShardError.notShardDirectory(
          path: directory,
          detail:
            "exists and holds files that are not shards (\(foreign.prefix(3).joined(separator: ", ")));"
            + " choose a new -o directory or remove it")
      }
      try StaleTemporaryFiles.remove(in: target)  // a killed earlier writer's temp files
    }
    try makeParents(of: target)
    removeStaleSiblings(of: target)
    let temp = target + ".tmp.\(getpid())"
    removeFlatTree(temp)
    if mkdir(temp, 0o755) != 0 { throw ShardError.ioFailed(path: temp, errno: errno) }
    return temp
  }

  /// Moves the complete `temp` directory to `directory`, replacing what was there.
  /// - Throws: `ShardError.ioFailed` when a rename fails (the old directory is then kept).
  public static func commit(temp: String, to directory: String) throws {
    let target = trimmed(directory)
    let old = target + ".old.\(getpid())"
    var info = stat()
    let exists = stat(target, &info) == 0
    if exists {
      removeFlatTree(old)
      if rename(target, old) != 0 { throw ShardError.ioFailed(path: target, errno: errno) }
    }
    if rename(temp, target) != 0 {
      let code = errno
      if exists { rename(old, target) }
      throw ShardError.ioFailed(path: target, errno: code)
    }
    if exists { removeFlatTree(old) }
  }

  /// Removes the temp directory of a run that did not finish.
  public static func abandon(temp: String) { removeFlatTree(temp) }

  /// Whether `name` is a file a shard directory may hold (temp files of killed runs included).
  static func isShardFileName(_ name: String) -> Bool {
    knownNames.contains(name) || ShardFileNames.isShardFile(name)
      || StaleTemporaryFiles.ownerPID(of: name) != nil
  }

  /// Removes `DIR.tmp.PID` / `DIR.old.PID` siblings left by runs that were killed (SIGKILL, power
  /// loss) before they could clean up; those of running processes are left alone.
  static func removeStaleSiblings(of target: String) {
    let slash = target.lastIndex(of: "/")
    let parent = slash.map { $0 == target.startIndex ? "/" : String(target[..<$0]) } ?? "."
    let base = slash.map { String(target[target.index(after: $0)...]) } ?? target
    for name in (try? ShardFiles.list(parent)) ?? [] {
      for kind in [".tmp.", ".old."] where name.hasPrefix(base + kind) {
        let pidText = name.dropFirst(base.count + kind.count)
        guard let pid = Int32(pidText), pid > 0, pid != getpid(),
          !StaleTemporaryFiles.isRunning(pid)
        else { continue }
        removeFlatTree((parent == "/" ? "" : parent) + "/" + name)
      }
    }
  }

  /// `path` without trailing slashes (`"/"` stays).
  static func trimmed(_ path: String) -> String {
    var text = Substring(path)
    while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
    return String(text)
  }

  /// Creates the missing parent directories of `path`.
  /// - Throws: `ShardError.ioFailed` naming the directory that could not be made.
  public static func makeParents(of path: String) throws {
    do { try makeParentDirectories(of: path) } catch CorpusError.cannotCreate(let prefix, let code)
    {
      throw ShardError.ioFailed(path: prefix, errno: code)
    }
  }

  /// Removes a directory of plain files (best effort; a subdirectory keeps it in place).
  static func removeFlatTree(_ path: String) {
    for name in (try? ShardFiles.list(path)) ?? [] { unlink(path + "/" + name) }
    rmdir(path)
  }
}
