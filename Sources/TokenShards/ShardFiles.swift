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
    let (fd, size) = try openForReading(path)
    defer { close(fd) }
    // Straight into an array of the file's size; then on in chunks, for a file that grew.
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

  /// Reads the whole file into the front of `buffer`, which only grows (so a buffer used for
  /// file after file is allocated and faulted in once), and returns its size.
  /// - Throws: as `read(_:)`.
  static func read(_ path: String, into buffer: inout [UInt8]) throws -> Int {
    let (fd, size) = try openForReading(path)
    defer { close(fd) }
    let capacity = size + 1  // one byte more, to see the end of the file with the same read
    if buffer.count < capacity {
      // Not zero-filled: only the bytes read are handed out.
      buffer = [UInt8](unsafeUninitializedCapacity: capacity) { _, count in count = capacity }
    }
    var filled = 0
    let failure: Int32 = buffer.withUnsafeMutableBytes { raw in
      while filled < capacity {
        let n = Glibc.read(fd, raw.baseAddress! + filled, capacity - filled)
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        if n == 0 { return 0 }
        filled += n
      }
      return 0
    }
    if failure != 0 { throw ShardError.ioFailed(path: path, errno: failure) }
    if filled == capacity {  // the file grew while being read
      buffer = try read(path)
      return buffer.count
    }
    return filled
  }

  /// An open read-only descriptor of the file and its size.
  private static func openForReading(_ path: String) throws -> (fd: Int32, size: Int) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { throw ShardError.missingFile(path: path) }
      throw ShardError.ioFailed(path: path, errno: errno)
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      close(fd)
      throw ShardError.ioFailed(path: path, errno: code)
    }
    return (fd, max(0, Int(info.st_size)))
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
