// ByteSink.swift — where output bytes go: an atomic file (temp + rename on `finish`), a file
// descriptor (stdout), or a compressor wrapping another sink. `RecordOutput.open(path:)` picks the
// compression from the output name (.gz, .zst; never sniffed) and `-` for standard output.
#if canImport(Glibc)
import Glibc
#endif

/// Anything that accepts output bytes; `finish()` completes it (commit, flush, end of frame).
public protocol ByteSink: AnyObject {
  /// Appends bytes.
  /// - Throws: `CorpusError.writeFailed`
  func write(_ bytes: UnsafeRawBufferPointer) throws
  /// Flushes and completes the output; for files this is the atomic rename.
  func finish() throws
  /// Abandons the output (removes a temp file); safe after a failure.
  func discard()
}

extension ByteSink {
  /// Appends an array of bytes.
  public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }
}

/// An atomic file: written to a temp name, renamed into place by `finish()`.
public final class AtomicFileSink: ByteSink {
  private let file: AtomicFile

  /// Opens `<path>.tmp.<pid>`.
  public init(path: String) throws { file = try AtomicFile(path: path) }

  public func write(_ bytes: UnsafeRawBufferPointer) throws { try file.write(bytes) }
  public func finish() throws { try file.commit() }
  public func discard() { file.discard() }
}

/// A file descriptor (standard output), written through a 1 MiB buffer, retrying on EINTR.
/// A closed pipe surfaces as `CorpusError.writeFailed(path: "<stdout>", errno: EPIPE)`.
public final class DescriptorSink: ByteSink {
  private let fd: Int32
  private let name: String
  private var buffer: [UInt8] = []

  /// Writes to `fd` (1 = stdout); `name` is used in errors.
  public init(fd: Int32 = STDOUT_FILENO, name: String = "<stdout>") {
    self.fd = fd
    self.name = name
    buffer.reserveCapacity(1 << 20)
  }

  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= 1 << 20 { try flush() }
  }

  public func finish() throws { try flush() }
  public func discard() { buffer.removeAll() }

  private func flush() throws {
    var offset = 0
    let failure: Int32? = buffer.withUnsafeBytes { raw in
      while offset < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += n
      }
      return nil
    }
    buffer.removeAll(keepingCapacity: true)
    if let code = failure { throw CorpusError.writeFailed(path: name, errno: code) }
  }
}

/// Bytes collected in memory (tests).
public final class MemorySink: ByteSink {
  /// Everything written so far.
  public private(set) var bytes: [UInt8] = []
  /// True after `finish()`.
  public private(set) var isFinished = false

  /// An empty sink.
  public init() {}
  public func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
  public func finish() throws { isFinished = true }
  public func discard() { bytes = [] }
}

/// Opens record outputs by name.
public enum RecordOutput {
  /// The compression implied by an output name: `.gz` → gzip, `.zst` → zstd, else none (any case).
  public static func container(forOutputPath path: String) -> Container {
    let name = path.lowercased()
    if name.hasSuffix(".gz") { return .gzip }
    if name.hasSuffix(".zst") { return .zstd }
    return .plain
  }

  /// A sink for `path` (`-` = stdout, uncompressed), compressing by the name's extension.
  /// - Throws: `CorpusError.cannotOpen`
  public static func open(path: String) throws -> ByteSink {
    if path == "-" { return DescriptorSink() }
    let file = try AtomicFileSink(path: path)
    switch container(forOutputPath: path) {
    case .gzip: return try GzipSink(file, name: path)
    case .zstd: return try ZstdSink(file, name: path)
    default: return file
    }
  }
}
