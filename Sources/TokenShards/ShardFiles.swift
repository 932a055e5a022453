// Small file-system helpers: whole-file reads for indices, manifests and tokenizers (the `.bin`
// files are streamed by SequentialFileReader), sizes, and directory listings.

#if canImport(Glibc)
import Glibc
#endif

/// Small file-system helpers that throw `ShardError`.
enum ShardFiles {
  /// The whole file.
  /// - Throws: `ShardError.missingFile` when absent, `.ioFailed` otherwise.
  static func read(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { throw ShardError.missingFile(path: path) }
      throw ShardError.ioFailed(path: path, errno: errno)
    }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ShardError.ioFailed(path: path, errno: errno)
      }
      if n == 0 { break }
      out.append(contentsOf: chunk[0..<n])
    }
    return out
  }

  /// The file's size, or nil when it does not exist.
  static func size(_ path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int(info.st_size)
  }

  /// Checks that `path` is a directory, before looking for its manifest.
  /// - Throws: `ShardError.notShardDirectory` saying that it does not exist or is a file.
  static func requireDirectory(_ path: String) throws {
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw ShardError.notShardDirectory(
        path: path, detail: "does not exist; give the shard directory rmprep convert wrote")
    }
    guard (info.st_mode & S_IFMT) == S_IFDIR else {
      throw ShardError.notShardDirectory(
        path: path,
        detail: "is a file, not a shard directory; give the directory rmprep convert -o DIR wrote")
    }
  }

  /// Names in a directory (no `.`/`..`), sorted.
  static func list(_ directory: String) throws -> [String] {
    guard let dir = opendir(directory) else {
      throw ShardError.ioFailed(path: directory, errno: errno)
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }
}
