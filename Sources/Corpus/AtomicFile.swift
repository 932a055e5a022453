// Atomic outputs (DESIGN.md): bytes go to `<path>.tmp.<pid>` and are renamed over `path` only after a
// successful fsync-free close; on any failure the temp file is removed, so a killed or failed run never
// leaves a file that looks complete. Writes are buffered (1 MiB) and retried on EINTR.
// A path that names something other than a regular file (`/dev/stdout`, `/dev/null`, a FIFO) is
// written in place: renaming a temp file over it would replace the device node with a plain file.

#if canImport(Glibc)
import Glibc
#endif

/// A file written through a temp name and renamed into place by `commit()`.
///
///     let f = try AtomicFile(path: "out.jsonl")
///     try f.write(Array("hello\n".utf8))
///     try f.commit()          // now out.jsonl exists, complete
public final class AtomicFile {
  /// The final path.
  public let path: String
  /// The temporary path written until `commit()` (equal to `path` for a device or FIFO).
  public let temporaryPath: String
  /// True when `path` is a device, FIFO or socket, written directly (no temp, no rename).
  public let writesInPlace: Bool
  private var fd: Int32
  private var buffer: [UInt8] = []
  private var finished = false
  private static let flushThreshold = 1 << 20

  /// Opens `<path>.tmp.<pid>` for writing (mode 0644), or `path` itself when it is a device or FIFO.
  /// - Throws: `CorpusError.cannotCreate` naming `path` (not the temp name; EISDIR for a directory).
  public init(path: String) throws {
    self.path = path
    var info = stat()
    let exists = stat(path, &info) == 0  // follows symlinks: /dev/stdout → /proc/self/fd/1
    let kind = info.st_mode & S_IFMT
    if exists && kind == S_IFDIR { throw CorpusError.cannotCreate(path: path, errno: EISDIR) }
    writesInPlace = exists && kind != S_IFREG
    self.temporaryPath = writesInPlace ? path : "\(path).tmp.\(getpid())"
    let flags = writesInPlace ? O_WRONLY | O_CLOEXEC : O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
    fd = open(temporaryPath, flags, 0o644)
    if fd < 0 { throw CorpusError.cannotCreate(path: path, errno: errno) }
    buffer.reserveCapacity(Self.flushThreshold)
  }

  deinit {
    if !finished { discard() }
  }

  /// Appends bytes (buffered).
  /// - Throws: `CorpusError.writeFailed` (the temp file is removed).
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    if bytes.count >= Self.flushThreshold {  // large: no copy into the buffer
      try flush()
      try writeAll(bytes)
      return
    }
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.flushThreshold { try flush() }
  }

  /// Appends bytes (buffered).
  public func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  /// Appends a string's UTF-8 bytes.
  public func write(_ text: String) throws { try write(Array(text.utf8)) }

  private func flush() throws {
    defer { buffer.removeAll(keepingCapacity: true) }
    try buffer.withUnsafeBytes { try writeAll($0) }
  }

  private func writeAll(_ raw: UnsafeRawBufferPointer) throws {
    var offset = 0
    while offset < raw.count {
      let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
      if n < 0 {
        if errno == EINTR { continue }
        let code = errno
        discard()
        throw CorpusError.writeFailed(path: path, errno: code)
      }
      offset += n
    }
  }

  /// Flushes, closes and renames the temp file to `path`.
  public func commit() throws {
    try flush()
    finished = true
    if close(fd) != 0 {
      let code = errno
      unlink(temporaryPath)
      throw CorpusError.writeFailed(path: path, errno: code)
    }
    fd = -1
    if !writesInPlace && rename(temporaryPath, path) != 0 {
      let code = errno
      unlink(temporaryPath)
      throw CorpusError.writeFailed(path: path, errno: code)
    }
  }

  /// Abandons the output: closes and removes the temp file. Safe to call more than once.
  public func discard() {
    finished = true
    if fd >= 0 {
      close(fd)
      fd = -1
    }
    if !writesInPlace { unlink(temporaryPath) }
  }

  /// Writes `bytes` to `path` atomically in one call.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    let file = try AtomicFile(path: path)
    try file.write(bytes)
    try file.commit()
  }
}
