// ZstdSource.swift — zstd decompression with libzstd: every frame of a multi-frame file (K01),
// skippable frames (skipped by libzstd), windows up to 2^31 (Pushshift dumps, `--long=31`).
// Truncation (K02) is detected with a `midFrame` flag updated only on calls that consumed or
// produced bytes (STYLE C2.7): at end of input inside a frame we throw, naming the byte offset.
import CZstd

/// Decompresses a zstd stream of one or more frames read from `base`.
public final class ZstdSource: ByteSource {
  private let base: ByteSource
  private let context: OpaquePointer
  private let input: UnsafeMutableRawBufferPointer  // owned: libzstd reads it between calls
  private var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
  private var inputEnd = false
  private var midFrame = false

  /// Largest accepted window, as a power of two (2 GiB, like `zstd --long=31`).
  public static let windowLogMax: Int32 = 31

  /// Wraps `base`, which must start with a zstd (or skippable) frame magic.
  /// - Throws: `CorpusError.corruptCompressedStream` if the context cannot be created.
  public init(_ base: ByteSource) throws {
    self.base = base
    guard let dctx = ZSTD_createDCtx() else {
      throw CorpusError.corruptCompressedStream(
        InputLocation(path: base.name, byteOffset: 0), codec: "zstd",
        detail: "cannot create a decoder context")
    }
    context = dctx
    ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, Self.windowLogMax)
    input = .allocate(byteCount: ZSTD_DStreamInSize(), alignment: 16)
  }

  deinit {
    ZSTD_freeDCtx(context)
    input.deallocate()
  }

  public var name: String { base.name }
  public var rawBytesRead: Int { base.rawBytesRead - (inBuffer.size - inBuffer.pos) }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
    var outBuffer = ZSTD_outBuffer(dst: out, size: buffer.count, pos: 0)
    while outBuffer.pos == 0 {
      if inBuffer.pos == inBuffer.size && !inputEnd { try refill() }
      let inBefore = inBuffer.pos
      let rc = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
      if ZSTD_isError(rc) != 0 {
        let detail = String(cString: ZSTD_getErrorName(rc))
        throw CorpusError.corruptCompressedStream(
          InputLocation(path: name, byteOffset: rawBytesRead), codec: "zstd", detail: detail)
      }
      let progressed = inBuffer.pos != inBefore || outBuffer.pos > 0
      if rc == 0 {
        midFrame = false
      } else if progressed {
        midFrame = true
      }
      if !progressed && inBuffer.pos == inBuffer.size && inputEnd {
        if midFrame {
          throw CorpusError.corruptCompressedStream(
            InputLocation(path: name, byteOffset: rawBytesRead), codec: "zstd",
            detail: "unexpected end of zstd frame (truncated file?)")
        }
        return 0
      }
    }
    return outBuffer.pos
  }

  private func refill() throws {
    let n = try base.read(into: input)
    if n == 0 { inputEnd = true }
    inBuffer = ZSTD_inBuffer(src: UnsafeRawPointer(input.baseAddress!), size: n, pos: 0)
  }
}
