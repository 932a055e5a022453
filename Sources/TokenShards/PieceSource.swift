// The bytes of one plan piece: `[start, end)` of a file, read with `pread(2)` and hashed as they
// pass, so a rank proves it converted exactly the bytes the plan hashed (an input edited after
// planning fails the rank instead of silently changing the result). `name` is the path as the
// user gave it, so messages and record sources read as in a single `rmprep convert`.

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// A file byte range as a `ByteSource`, with a running sha256.
public final class PieceSource: ByteSource {
  public let name: String
  public private(set) var rawBytesRead = 0
  private let fd: Int32
  private let start: Int
  private let end: Int
  private var hasher = SHA256()

  /// Opens `path` for the range `[start, end)`; errors name `name`.
  /// - Throws: `CorpusError.cannotOpen`.
  public init(path: String, name: String, start: Int, end: Int) throws {
    let opened = open(path, O_RDONLY | O_CLOEXEC)
    guard opened >= 0 else { throw CorpusError.cannotOpen(path: name, errno: errno) }
    fd = opened
    self.name = name
    self.start = start
    self.end = end
  }

  deinit { close(fd) }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let wanted = min(buffer.count, end - start - rawBytesRead)
    guard wanted > 0, let base = buffer.baseAddress else { return 0 }
    while true {
      let n = pread(fd, base, wanted, off_t(start + rawBytesRead))
      if n >= 0 {
        hasher.update(UnsafeRawBufferPointer(start: base, count: n))
        rawBytesRead += n
        return n
      }
      if errno == EINTR { continue }
      throw CorpusError.readFailed(path: name, errno: errno)
    }
  }

  /// Reads what is left of the range (a decoder may stop before the end) and returns the sha256
  /// (hex) of the whole range.
  /// - Throws: `CorpusError.readFailed`.
  public func finishDigest() throws -> String {
    var scratch = [UInt8](repeating: 0, count: 1 << 16)
    while try scratch.withUnsafeMutableBytes({ try read(into: $0) }) > 0 {}
    return hasher.finalize().hex
  }
}
