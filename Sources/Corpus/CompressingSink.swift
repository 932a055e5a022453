// CompressingSink.swift — gzip (zlib deflate, level 6, one member) and zstd (level 3, one frame with
// a content checksum) compressors over another sink, for `-o out.jsonl.gz` / `.zst`. Compressed
// bytes are deterministic for a given library version, so outputs are byte-identical across runs.
import CZlib
import CZstd

#if canImport(Glibc)
import Glibc
#endif

/// Compresses to gzip before passing bytes on.
public final class GzipSink: ByteSink {
  private let next: ByteSink
  private let name: String
  private var stream = z_stream()
  private let out: UnsafeMutableRawBufferPointer

  /// Wraps `next`; `name` is used in errors.
  public init(_ next: ByteSink, name: String) throws {
    self.next = next
    self.name = name
    out = .allocate(byteCount: 1 << 18, alignment: 16)
    // 15 + 16: gzip wrapper; memLevel 8; default strategy.
    let rc = deflateInit2_(
      &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
      Int32(MemoryLayout<z_stream>.size))
    guard rc == Z_OK else {
      out.deallocate()
      throw CorpusError.writeFailed(path: name, errno: EIO)
    }
  }

  deinit {
    deflateEnd(&stream)
    out.deallocate()
  }

  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
    stream.avail_in = UInt32(bytes.count)
    try pump(Z_NO_FLUSH)
  }

  public func finish() throws {
    stream.next_in = nil
    stream.avail_in = 0
    try pump(Z_FINISH)
    try next.finish()
  }

  public func discard() { next.discard() }

  private func pump(_ flush: Int32) throws {
    while true {
      stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
      stream.avail_out = UInt32(out.count)
      let rc = deflate(&stream, flush)
      guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
        throw CorpusError.writeFailed(path: name, errno: EIO)
      }
      let produced = out.count - Int(stream.avail_out)
      if produced > 0 { try next.write(UnsafeRawBufferPointer(rebasing: out[0..<produced])) }
      if flush == Z_FINISH {
        if rc == Z_STREAM_END { return }
      } else if stream.avail_in == 0 && stream.avail_out > 0 {
        return
      }
    }
  }
}

/// Compresses to zstd before passing bytes on.
public final class ZstdSink: ByteSink {
  private let next: ByteSink
  private let name: String
  private let context: OpaquePointer
  private let out: UnsafeMutableRawBufferPointer

  /// Wraps `next`; `name` is used in errors.
  public init(_ next: ByteSink, name: String) throws {
    self.next = next
    self.name = name
    guard let cctx = ZSTD_createCCtx() else {
      throw CorpusError.writeFailed(path: name, errno: ENOMEM)
    }
    context = cctx
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3)
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)
    out = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
  }

  deinit {
    ZSTD_freeCCtx(context)
    out.deallocate()
  }

  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    var input = ZSTD_inBuffer(src: base, size: bytes.count, pos: 0)
    while input.pos < input.size { _ = try step(&input, ZSTD_e_continue) }
  }

  public func finish() throws {
    var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    while try step(&input, ZSTD_e_end) != 0 {}
    try next.finish()
  }

  public func discard() { next.discard() }

  private func step(_ input: inout ZSTD_inBuffer, _ mode: ZSTD_EndDirective) throws -> Int {
    var output = ZSTD_outBuffer(dst: out.baseAddress!, size: out.count, pos: 0)
    let rc = ZSTD_compressStream2(context, &output, &input, mode)
    if ZSTD_isError(rc) != 0 { throw CorpusError.writeFailed(path: name, errno: EIO) }
    if output.pos > 0 { try next.write(UnsafeRawBufferPointer(rebasing: out[0..<output.pos])) }
    return rc
  }
}
