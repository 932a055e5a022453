// Diagnostics go to fd 2 through this stream (Swift 6 rejects Glibc's `stderr` global, STYLE.md C2.8).
// Colour only when stderr is a terminal and TERM is not "dumb".

#if canImport(Glibc)
import Glibc
#endif

/// A `TextOutputStream` that writes straight to standard error.
///
///     var err = StandardError(); print("rmprep: warning: …", to: &err)
public struct StandardError: TextOutputStream, Sendable {
  /// Creates the stream.
  public init() {}

  /// Writes the UTF-8 bytes of `string` to fd 2, retrying on EINTR.
  public mutating func write(_ string: String) {
    var bytes = Array(string.utf8)
    var offset = 0
    bytes.withUnsafeMutableBytes { raw in
      while offset < raw.count {
        let n = Glibc.write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += n
      }
    }
  }

  /// True when fd 2 is a terminal and TERM is set and not "dumb".
  public static var isInteractive: Bool {
    guard isatty(STDERR_FILENO) == 1, let term = getenv("TERM") else { return false }
    return String(cString: term) != "dumb"
  }
}

/// Writes data to standard output through a large buffer (`print` is for humans, not data).
public final class StandardOutput {
  private var buffer: [UInt8] = []
  private let capacity: Int

  /// Creates a buffered writer with the given buffer size.
  public init(bufferSize: Int = 1 << 20) {
    capacity = bufferSize
    buffer.reserveCapacity(bufferSize)
  }

  deinit { try? flush() }

  /// Appends bytes, flushing when the buffer is full.
  /// - Throws: `OutputClosed` when the reader went away (EPIPE); callers end quietly.
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= capacity { try flush() }
  }

  /// Appends bytes.
  public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

  /// Appends a string's UTF-8 bytes.
  public func write(_ text: String) throws { try write(Array(text.utf8)) }

  /// Writes everything buffered to fd 1.
  public func flush() throws {
    var offset = 0
    var failure: Int32 = 0
    buffer.withUnsafeBytes { raw in
      while offset < raw.count {
        let n = Glibc.write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        offset += n
      }
    }
    buffer.removeAll(keepingCapacity: true)
    if failure == EPIPE { throw OutputClosed() }
    if failure != 0 { throw OutputFailed(errno: failure) }
  }
}

/// Standard output was closed by the reader (a closed pipe): end quietly.
public struct OutputClosed: Error {
  /// Creates the error (thrown by writers of standard output on EPIPE).
  public init() {}
}

/// Writing standard output failed for a reason other than a closed pipe.
public struct OutputFailed: Error, CustomStringConvertible {
  /// The errno from write(2).
  public let errno: Int32
  public var description: String { "<stdout>: write failed: \(String(cString: strerror(errno)))" }
}
