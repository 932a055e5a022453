// ZstdSource.swift — zstd decompression with libzstd: every frame of a multi-frame file (K01),
// skippable frames (skipped by libzstd), windows up to 2^31 (Pushshift dumps, `--long=31`).
// Truncation (K02) is detected with a `midFrame` flag updated only on calls that consumed or
// produced bytes (STYLE C2.7): at end of input inside a frame we throw, naming the byte offset.
//
// Error offsets: libzstd does not say where in the input it failed, and on an error it leaves
// `pos` where the call started, so a call given a whole 128 KiB input chunk could only report the
// chunk's start (every error in a small file said "@ byte 512", the end of the sniffed prefix).
// So each call gets at most libzstd's own hint (the rest of the current block plus the next
// block's header; 5 bytes for a frame header): one call decodes at most one block, and an error
// names the compressed bytes of that block and the frame it is in. The damage may also be in an
// earlier block of the frame: blocks share entropy tables and repeat offsets, and a flipped
// literal is only found by the checksum at the frame's end. Blocks are decoded from our input
// buffer in place either way, so this costs one call per block (at most 128 KiB of output).
import CZstd

/// Decompresses a zstd stream of one or more frames read from `base`.
public final class ZstdSource: ByteSource {
  private let base: ByteSource
  private let context: OpaquePointer
  private let input: UnsafeMutableRawBufferPointer  // owned: libzstd reads it between calls
  private var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
  private var inputEnd = false
  private var midFrame = false
  /// Raw offset of the frame being decoded (the previous frame's end).
  private var frameStart = 0
  /// Raw offset of the input unit (block) being decoded: errors are found at or after it.
  private var unitStart = 0
  /// Most input to give the next call: libzstd's hint, `.max` after a call that made no progress.
  private var inputHint = frameHeaderPrefix

  /// Bytes libzstd needs to size a zstd1 frame header (`ZSTD_FRAMEHEADERSIZE_PREFIX`, a macro).
  static let frameHeaderPrefix = 5

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
      let given = min(inBuffer.size - inBefore, inputHint)
      var slice = ZSTD_inBuffer(src: inBuffer.src, size: inBefore + given, pos: inBefore)
      let rc = ZSTD_decompressStream(context, &outBuffer, &slice)
      if ZSTD_isError(rc) != 0 {
        // `slice.pos` was not advanced: the decoder stopped within the bytes it was given.
        let end = rawBytesRead + given
        throw CorpusError.corruptCompressedStream(
          InputLocation(path: name, byteOffset: end), codec: "zstd",
          detail: "\(String(cString: ZSTD_getErrorName(rc))) (found while decoding compressed"
            + " bytes \(unitStart)..<\(end); the damage is there or earlier in the frame, which"
            + " starts at byte \(frameStart))")
      }
      inBuffer.pos = slice.pos
      let progressed = inBuffer.pos != inBefore || outBuffer.pos > 0
      if rc == 0 {
        midFrame = false
        (frameStart, unitStart, inputHint) = (rawBytesRead, rawBytesRead, Self.frameHeaderPrefix)
      } else if progressed {
        midFrame = true
        if given == inputHint { unitStart = rawBytesRead }  // the unit was whole: the next starts
        inputHint = rc
      } else {
        inputHint = .max
      }
      if !progressed && inBuffer.pos == inBuffer.size && inputEnd {
        if midFrame {
          throw CorpusError.corruptCompressedStream(
            InputLocation(path: name, byteOffset: rawBytesRead), codec: "zstd",
            detail: "unexpected end of zstd frame (truncated file?); the frame starts at byte"
              + " \(frameStart)")
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
