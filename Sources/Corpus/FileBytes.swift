// Whole-file reads for small inputs (schemas, fixtures, expectation files) — never for corpora,
// which stream. `-` reads standard input.

#if canImport(Glibc)
import Glibc
#endif

/// Reads a small file completely.
public enum FileBytes {
  /// The decoded bytes of `path` (`-` = stdin): gzip and zstd are decompressed, and a UTF-16 BOM,
  /// an archive or a Git LFS pointer is refused, exactly as `rmprep convert` reads inputs.
  /// - Throws: `CorpusError.cannotOpen`, `.readFailed`, `.unsupportedContainer`, `.gitLFSPointer`.
  public static func readDecoded(_ path: String) throws -> [UInt8] {
    let input = try InputOpener.open(path: path)
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = try chunk.withUnsafeMutableBytes { try input.source.read(into: $0) }
      if count == 0 { return bytes }
      bytes.append(contentsOf: chunk[0..<count])
    }
  }

  /// The bytes of `path` (`-` = stdin).
  /// - Throws: `CorpusError.cannotOpen` / `.readFailed`.
  public static func read(_ path: String) throws -> [UInt8] {
    let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw CorpusError.cannotOpen(path: path, errno: errno) }
    defer { if fd != STDIN_FILENO { close(fd) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw CorpusError.readFailed(path: path, errno: errno)
      }
      if count == 0 { return bytes }
      bytes.append(contentsOf: chunk[0..<count])
    }
  }
}
