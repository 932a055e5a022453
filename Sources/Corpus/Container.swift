// Container.swift — what kind of bytes an input holds, decided from its first bytes (magic
// numbers), never from the file name (a `.zst`-named file may be plain JSONL, FORMATS.md §0).
// `InputOpener.open` wraps the raw file in the matching decompressor.

/// The container of an input file, sniffed from its first bytes.
public enum Container: String, Sendable, Equatable {
  /// Uncompressed bytes.
  case plain
  /// gzip, magic `1F 8B` (one or more members).
  case gzip
  /// zstd, magic `28 B5 2F FD`, or a skippable frame `5? 2A 4D 18`.
  case zstd
  /// xz, magic `FD 37 7A 58 5A 00`: not read (decompress with `xz -d` first).
  case xz
  /// 7z, magic `37 7A BC AF 27 1C`: not read (extract with `7z x` first).
  case sevenZip = "7z"
  /// A Git LFS pointer: a small text file that stands in for data that was never downloaded.
  case lfsPointer = "lfs-pointer"
  /// UTF-16 or UTF-32 text, byte-order mark `FF FE` or `FE FF`: not read (JSON is UTF-8, RFC 8259;
  /// convert with `iconv` first). A whole-file error rather than one rejected record per line.
  case utf16 = "UTF-16"

  /// The LFS pointer's first line, as written by git-lfs.
  static let lfsPrefix = Array("version https://git-lfs.github.com/spec/v1".utf8)

  /// Classifies `head`, the first bytes of an input (at least 64 bytes unless the input is shorter).
  public static func sniff(_ head: [UInt8]) -> Container {
    func starts(_ magic: [UInt8]) -> Bool {
      head.count >= magic.count && Array(head.prefix(magic.count)) == magic
    }
    if starts([0x1F, 0x8B]) { return .gzip }
    if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
    if head.count >= 4 && head[0] & 0xF0 == 0x50 && head[1] == 0x2A && head[2] == 0x4D
      && head[3] == 0x18
    {
      return .zstd
    }
    if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
    if starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return .sevenZip }
    if starts(lfsPrefix) { return .lfsPointer }
    if starts([0xFF, 0xFE]) || starts([0xFE, 0xFF]) || starts([0x00, 0x00, 0xFE, 0xFF]) {
      return .utf16
    }
    return .plain
  }
}

/// An input opened for reading: the decoded byte stream and what was found.
public struct OpenedInput {
  /// Decoded bytes (decompressed when the container is compressed).
  public let source: ByteSource
  /// The container found by sniffing.
  public let container: Container
  /// The raw file source, for counting raw bytes read.
  public let raw: ByteSource
}

/// Opens inputs and picks the decoder from magic bytes.
public enum InputOpener {
  /// How many bytes are read up front to sniff the container.
  static let sniffLength = 512

  /// Opens `path` (`-` = stdin) and returns its decoded bytes.
  ///
  /// With `readAhead`, a compressed input is decompressed on a thread of its own, a few MiB ahead
  /// of the reader (ReadAheadSource.swift); the bytes are the same.
  /// - Throws: `CorpusError.cannotOpen`, `.unsupportedContainer`, `.lfsPointer`
  public static func open(path: String, readAhead: Bool = false) throws -> OpenedInput {
    try open(FileSource(path: path), readAhead: readAhead)
  }

  /// Sniffs `raw` and wraps it in the matching decoder (on its own thread with `readAhead`).
  /// - Throws: `CorpusError.unsupportedContainer`, `.lfsPointer`
  public static func open(_ raw: ByteSource, readAhead: Bool = false) throws -> OpenedInput {
    var head = [UInt8](repeating: 0, count: sniffLength)
    var filled = 0
    while filled < sniffLength {
      let n = try head.withUnsafeMutableBytes { buffer in
        try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
      }
      if n == 0 { break }
      filled += n
    }
    head.removeSubrange(filled...)
    let container = Container.sniff(head)
    let replay = PrefixedSource(prefix: head, base: raw)
    switch container {
    case .plain: return OpenedInput(source: replay, container: container, raw: raw)
    case .gzip, .zstd:
      let decoder: ByteSource =
        container == .gzip ? try GzipSource(replay) : try ZstdSource(replay)
      guard readAhead else { return OpenedInput(source: decoder, container: container, raw: raw) }
      // The thread reads `raw`: count raw bytes as of what the reader has been handed.
      let ahead = ReadAheadSource(decoder)
      return OpenedInput(source: ahead, container: container, raw: ahead)
    case .xz, .sevenZip, .utf16:
      throw CorpusError.unsupportedContainer(path: raw.name, container: container.rawValue)
    case .lfsPointer:
      throw CorpusError.gitLFSPointer(path: raw.name)
    }
  }
}
