// An append-only scratch file of little-endian integers, so that a Megatron index's arrays (4 bytes per
// sequence, 8 per document) need no memory while a shard is written: peak RSS stays flat however
// many sequences a run writes. The file is unlinked right after it is created, so it never appears in
// the shard directory and vanishes with the process, even after SIGKILL. Values are written through
// a 64 KiB buffer and read back in order, any number of times, with `forEach`.

#if canImport(Glibc)
import Glibc
#endif

/// A sequence of `T` kept in an unlinked temp file.
///
///     let s = try IntegerSpool<Int32>(directory: dir)
///     try s.append(3); try s.append(2)
///     try s.forEach { print($0) }     // 3, 2
final class IntegerSpool<T: FixedWidthInteger> {
  /// Values appended so far.
  private(set) var count = 0
  private let directory: String
  private var fd: Int32
  private var buffer: [UInt8] = []
  private var fileBytes = 0
  private static var bufferSize: Int { 1 << 16 }

  /// Creates the scratch file in `directory` and unlinks it at once.
  /// - Throws: `ShardError.ioFailed`.
  init(directory: String) throws {
    self.directory = directory
    var template = Array((directory + "/.spool.XXXXXX").utf8CString)
    fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    if fd < 0 { throw ShardError.ioFailed(path: directory, errno: errno) }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    buffer.reserveCapacity(Self.bufferSize)
  }

  deinit {
    if fd >= 0 { close(fd) }
  }

  /// Appends one value.
  /// - Throws: `ShardError.ioFailed` when the disk is full.
  func append(_ value: T) throws {
    withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    count += 1
    if buffer.count >= Self.bufferSize { try flush() }
  }

  private func flush() throws {
    var offset = 0
    while offset < buffer.count {
      let n = buffer.withUnsafeBytes { raw in
        pwrite(fd, raw.baseAddress! + offset, raw.count - offset, off_t(fileBytes + offset))
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw ShardError.ioFailed(path: directory, errno: errno)
      }
      offset += n
    }
    fileBytes += buffer.count
    buffer.removeAll(keepingCapacity: true)
  }

  /// Calls `body` with every value in the order appended.
  /// - Throws: `ShardError.ioFailed`, or what `body` throws.
  func forEach(_ body: (T) throws -> Void) throws {
    try flush()
    let size = MemoryLayout<T>.size
    var chunk = [UInt8](repeating: 0, count: Self.bufferSize)
    var position = 0
    while position < fileBytes {
      let want = min(chunk.count, fileBytes - position)
      let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, want, off_t(position)) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ShardError.ioFailed(path: directory, errno: errno)
      }
      guard n > 0 else { throw ShardError.ioFailed(path: directory, errno: EIO) }
      let whole = n - n % size
      try chunk.withUnsafeBytes { raw in
        var offset = 0
        while offset < whole {
          try body(T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self)))
          offset += size
        }
      }
      position += whole
    }
  }
}
