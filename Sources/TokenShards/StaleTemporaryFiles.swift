// Temporary files that a killed run left in a shard directory. Outputs are written to
// `<name>.tmp.<pid>` and renamed when complete (AtomicFile, MegatronWriter); SIGKILL leaves the temp
// file behind. A new run removes those whose process is gone, so re-running after a kill gives the
// same directory as a clean run, and a live writer's files are never touched.

#if canImport(Glibc)
import Glibc
#endif

/// Finds and removes `*.tmp.<pid>` files of processes that no longer run.
enum StaleTemporaryFiles {
  /// The process id a temp-file name ends with (`train.bin.tmp.123` → 123), or nil for other names.
  static func ownerPID(of name: String) -> Int32? {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count >= 3, parts[parts.count - 2] == "tmp", let last = parts.last,
      !last.isEmpty, last.allSatisfy({ $0.isASCII && $0.isNumber }), let pid = Int32(last), pid > 0
    else { return nil }
    return pid
  }

  /// Whether a process with this id exists (EPERM: it exists but belongs to someone else).
  static func isRunning(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0 || errno == EPERM
  }

  /// Removes every temp file (regular files only) in `directory` whose owner is not running;
  /// returns the names removed.
  /// - Throws: `ShardError.ioFailed` when the directory cannot be listed or a file cannot be removed.
  @discardableResult
  static func remove(in directory: String, isRunning: (Int32) -> Bool = isRunning) throws
    -> [String]
  {
    var removed: [String] = []
    for name in try ShardFiles.list(directory) {
      guard let pid = ownerPID(of: name), !isRunning(pid) else { continue }
      let path = directory + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
      if unlink(path) != 0 && errno != ENOENT {
        throw ShardError.ioFailed(path: path, errno: errno)
      }
      removed.append(name)
    }
    return removed
  }
}
