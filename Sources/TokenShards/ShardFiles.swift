// Whole-file reads for the reader and verifier (shards are read once, validated, then served from
// memory; a memory-mapped reader can replace this behind the same API when shards outgrow RAM).

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
    // Straight into an array of the file's size; then on in chunks, for a file that grew.
    var info = stat()
    let size = fstat(fd, &info) == 0 ? max(0, Int(info.st_size)) : 0
    var failure: Int32 = 0
    var out = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      count = 0
      while count < size {
        let n = Glibc.read(fd, buffer.baseAddress! + count, size - count)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        if n == 0 { return }
        count += n
      }
    }
    if failure != 0 { throw ShardError.ioFailed(path: path, errno: failure) }
    if out.count < size { return out }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
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
