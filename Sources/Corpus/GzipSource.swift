// GzipSource.swift — gzip decompression with zlib, every member of a multi-member file
// (K03: `cat a.gz b.gz`, Common Crawl WET files). A member cut short, a corrupt deflate block or
// bytes after the last member that are not a gzip header are errors naming the file and the raw
// byte offset where reading stopped; this source never returns a silent prefix.
import CZlib

/// Decompresses a gzip stream of one or more members read from `base`.
public final class GzipSource: ByteSource {
  private let base: ByteSource
  private var stream = z_stream()
  private let input: UnsafeMutableRawBufferPointer  // owned: zlib keeps `next_in` between calls
  private var inputEnd = false
  /// True from a member's header until its trailer has been read.
  private var memberOpen = false
  private var finished = false

  /// Input chunk size; 256 KiB keeps zlib calls few without holding much memory.
  static let chunkSize = 256 * 1024

  /// Wraps `base`, which must start with the gzip magic `1F 8B`.
  /// - Throws: `CorpusError.corruptCompressedStream` if zlib cannot be initialised.
  public init(_ base: ByteSource) throws {
    self.base = base
    input = .allocate(byteCount: Self.chunkSize, alignment: 16)
    // 15 + 16: gzip wrapper only (the container was already sniffed).
    let rc = inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard rc == Z_OK else {
      input.deallocate()
      throw CorpusError.corruptCompressedStream(
        InputLocation(path: base.name, byteOffset: 0), codec: "gzip",
        detail: "zlib init failed (\(rc))")
    }
  }

  deinit {
    inflateEnd(&stream)
    input.deallocate()
  }

  public var name: String { base.name }
  public var rawBytesRead: Int { base.rawBytesRead - Int(stream.avail_in) }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
    stream.next_out = out.assumingMemoryBound(to: Bytef.self)
    stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
    while stream.avail_out > 0 {
      if stream.avail_in == 0 && !inputEnd { try refill() }
      if stream.avail_in == 0 && inputEnd {
        if memberOpen { throw truncated() }
        finished = true
        break
      }
      if !memberOpen {
        // A new member must start with the magic; anything else after a member is garbage.
        guard try nextBytesAreGzipMagic() else {
          throw CorpusError.corruptCompressedStream(
            InputLocation(path: name, byteOffset: rawBytesRead), codec: "gzip",
            detail: "unexpected bytes after the last gzip member")
        }
        memberOpen = true
      }
      let before = stream.avail_out
      let rc = inflate(&stream, Z_NO_FLUSH)
      switch rc {
      case Z_STREAM_END:
        memberOpen = false
        inflateReset(&stream)
      case Z_OK:
        break
      case Z_BUF_ERROR:
        // No progress possible: needs more input.
        if stream.avail_in == 0 && inputEnd { throw truncated() }
        if stream.avail_out == before && stream.avail_in > 0 { throw corrupt("no progress") }
      default:
        let message = stream.msg.map { String(cString: $0) } ?? "error \(rc)"
        throw corrupt(message)
      }
    }
    return buffer.count - Int(stream.avail_out)
  }

  private func refill() throws {
    let n = try base.read(into: input)
    if n == 0 { inputEnd = true }
    stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
    stream.avail_in = UInt32(n)
  }

  /// Checks that the next two input bytes are `1F 8B`, reading more input if only one is buffered.
  private func nextBytesAreGzipMagic() throws -> Bool {
    if stream.avail_in == 1 && !inputEnd {
      // Move the single byte to the front and top up.
      let first = stream.next_in.pointee
      input.storeBytes(of: first, toByteOffset: 0, as: UInt8.self)
      let n = try base.read(into: UnsafeMutableRawBufferPointer(rebasing: input[1...]))
      if n == 0 { inputEnd = true }
      stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
      stream.avail_in = UInt32(1 + n)
    }
    guard stream.avail_in >= 2 else { return false }
    return stream.next_in[0] == 0x1F && stream.next_in[1] == 0x8B
  }

  private func truncated() -> CorpusError {
    .corruptCompressedStream(
      InputLocation(path: name, byteOffset: rawBytesRead), codec: "gzip",
      detail: "unexpected end of input inside a gzip member (truncated file?)")
  }

  private func corrupt(_ detail: String) -> CorpusError {
    .corruptCompressedStream(
      InputLocation(path: name, byteOffset: rawBytesRead), codec: "gzip", detail: detail)
  }
}
