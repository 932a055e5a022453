// Reads a file front to back in pieces of any size through a 1 MiB buffer, so shard `.bin` files are
// checked and decoded sequence by sequence without holding them in memory (ShardDataset, verify).

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// A buffered, forward-only reader of one file.
///
///     let r = try SequentialFileReader(path: "train.bin")
///     let first = try r.read(6)      // exactly 6 bytes, or an error naming the file
final class SequentialFileReader {
  let path: String
  private var fd: Int32
  private var buffer = [UInt8](repeating: 0, count: 1 << 20)
  private var start = 0
  private var end = 0

  /// Opens `path`.
  /// - Throws: `ShardError.missingFile` when absent, `.ioFailed` otherwise.
  init(path: String) throws {
    self.path = path
    fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { throw ShardError.missingFile(path: path) }
      throw ShardError.ioFailed(path: path, errno: errno)
    }
  }

  deinit { close(fd) }

  /// Refills the buffer; returns false at end of file.
  private func refill() throws -> Bool {
    start = 0
    end = 0
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ShardError.ioFailed(path: path, errno: errno)
      }
      end = n
      return n > 0
    }
  }

  /// Calls `body` with the next chunks of the file until it ends (each chunk is valid only during
  /// the call); used to hash a whole file.
  func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    while true {
      if start == end, try !refill() { return }
      try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
      start = end
    }
  }

  /// The next `count` bytes.
  /// - Throws: `ShardError.badHeader` when the file ends first, `.ioFailed`.
  func read(_ count: Int) throws -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(count)
    while out.count < count {
      if start == end, try !refill() {
        throw ShardError.badHeader(
          path: path, expected: "\(count - out.count) more bytes", found: "end of file")
      }
      let take = min(count - out.count, end - start)
      out.append(contentsOf: buffer[start..<start + take])
      start += take
    }
    return out
  }
}
