// ByteSource.swift — the byte layer: anything that hands out bytes in chunks (a file, stdin, a
// decompressor). Composition is by wrapping; the container is chosen from magic bytes by
// `InputOpener`, never from the file name. Offsets are in bytes from the start of the raw file.
#if canImport(Glibc)
import Glibc
#endif

/// Anything that hands out bytes in chunks: a file, stdin, a decompressor.
///
/// `read(into:)` fills at most `buffer.count` bytes and returns how many it wrote; it returns 0
/// only at the real end of input. A codec source throws on truncation or corruption instead of
/// returning 0, so a caller can never mistake a prefix for the whole stream.
public protocol ByteSource: AnyObject {
  /// The display name used in errors: the path as given, or `<stdin>` for `-`.
  var name: String { get }
  /// Raw (compressed) bytes consumed from the underlying file so far.
  var rawBytesRead: Int { get }
  /// Reads up to `buffer.count` bytes; 0 means end of input.
  /// - Throws: `CorpusError`
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A file or standard input, read with `read(2)` (retrying on `EINTR`).
public final class FileSource: ByteSource {
  public let name: String
  public private(set) var rawBytesRead = 0
  private let fd: Int32
  private let ownsDescriptor: Bool

  /// Opens `path` for reading; `-` means standard input, shown as `<stdin>`.
  /// - Throws: `CorpusError.cannotOpen`
  public init(path: String) throws {
    if path == "-" {
      name = "<stdin>"
      fd = STDIN_FILENO
      ownsDescriptor = false
    } else {
      name = path
      let opened = open(path, O_RDONLY | O_CLOEXEC)
      guard opened >= 0 else { throw CorpusError.cannotOpen(path: path, errno: errno) }
      fd = opened
      ownsDescriptor = true
    }
  }

  deinit {
    if ownsDescriptor { close(fd) }
  }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let n = Glibc.read(fd, base, buffer.count)
      if n >= 0 {
        rawBytesRead += n
        return n
      }
      if errno == EINTR { continue }
      throw CorpusError.readFailed(path: name, errno: errno)
    }
  }
}

/// Replays bytes already read (for sniffing the container) before reading on from `base`.
final class PrefixedSource: ByteSource {
  let base: ByteSource
  private var prefix: [UInt8]
  private var prefixOffset = 0

  init(prefix: [UInt8], base: ByteSource) {
    self.prefix = prefix
    self.base = base
  }

  var name: String { base.name }
  var rawBytesRead: Int { base.rawBytesRead - (prefix.count - prefixOffset) }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    if prefixOffset < prefix.count {
      let n = min(buffer.count, prefix.count - prefixOffset)
      prefix.withUnsafeBytes { src in
        buffer.baseAddress!.copyMemory(from: src.baseAddress! + prefixOffset, byteCount: n)
      }
      prefixOffset += n
      if prefixOffset == prefix.count { prefix = []; prefixOffset = 0 }
      return n
    }
    return try base.read(into: buffer)
  }
}

/// Bytes held in memory, as a source (tests, and fixtures generated on the fly).
public final class MemorySource: ByteSource {
  public let name: String
  public private(set) var rawBytesRead = 0
  private let bytes: [UInt8]

  /// A source that yields `bytes` and then ends; `name` appears in errors.
  public init(_ bytes: [UInt8], name: String = "<memory>") {
    self.bytes = bytes
    self.name = name
  }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let n = min(buffer.count, bytes.count - rawBytesRead)
    guard n > 0 else { return 0 }
    bytes.withUnsafeBytes { src in
      buffer.baseAddress!.copyMemory(from: src.baseAddress! + rawBytesRead, byteCount: n)
    }
    rawBytesRead += n
    return n
  }
}
