// The framed binary stream of `rmprep convert … -o -` (Schemas/stream.md has the byte layout; the
// golden vector test pins it). Little-endian throughout:
//   header  = magic "RMSTREAM", version u32, kind u8, dtype code u8, reserved u16, vocab u32,
//             tokenizer sha256 [32], special ids u32×5, config JSON (u32 length + bytes),
//             tokenizer.json (u64 length + bytes)
//   record  = 0x01, split u8, id u64, documents u16, per document: sequences u16, per sequence:
//             length u32, tokens (length × itemsize), mask (length bytes)
//   trailer = 0xFF, records u64, documents u64, sequences u64, tokens u64,
//             summary JSON (u32 length + bytes), sha256 [32] of every byte before it

import Corpus

/// Constants of the stream format.
public enum ShardStreamFormat {
  /// The 8 magic bytes.
  public static let magic: [UInt8] = Array("RMSTREAM".utf8)
  /// The only version.
  public static let version: UInt32 = 1
  /// Tag of a record frame.
  public static let recordTag: UInt8 = 0x01
  /// Tag of the trailer.
  public static let trailerTag: UInt8 = 0xFF
}

/// A `TargetSink` writing the framed stream; the header goes out at `init`.
public final class ShardStreamWriter: TargetSink {
  private let output: ByteSink
  private let header: ShardHeader
  private var hasher = SHA256()
  private var buffer: [UInt8] = []
  private var counts = (records: 0, documents: 0, sequences: 0, tokens: 0)
  private var scratch: [UInt8] = []

  /// Writes the header to `output` (a Corpus `ByteSink`: `DescriptorSink` for stdout).
  public init(output: ByteSink, header: ShardHeader) throws {
    try header.config.validate()
    self.output = output
    self.header = header
    var out = ShardStreamFormat.magic
    appendLittleEndian(ShardStreamFormat.version, to: &out)
    out.append(header.config.kind.code)
    out.append(header.dtype.rawValue)
    appendLittleEndian(UInt16(0), to: &out)
    appendLittleEndian(UInt32(header.vocabularySize), to: &out)
    out += hexBytes(header.tokenizerSHA256)
    for id in header.specialIDs.ordered { appendLittleEndian(id, to: &out) }
    let config = JSONWriter.bytes(header.config.jsonValue)
    appendLittleEndian(UInt32(config.count), to: &out)
    out += config
    appendLittleEndian(UInt64(header.tokenizerFile.count), to: &out)
    out += header.tokenizerFile
    buffer = out
    try emit(force: true)
  }

  private func emit(force: Bool = false) throws {
    guard force || buffer.count >= 1 << 20 else { return }
    try buffer.withUnsafeBytes { raw in
      hasher.update(raw)
      try output.write(raw)
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes one record frame.
  public func write(_ record: EncodedRecord) throws {
    buffer.append(ShardStreamFormat.recordTag)
    buffer.append(record.split.code)
    appendLittleEndian(record.id, to: &buffer)
    appendLittleEndian(UInt16(record.documents.count), to: &buffer)
    for document in record.documents {
      appendLittleEndian(UInt16(document.count), to: &buffer)
      for sequence in document {
        appendLittleEndian(UInt32(sequence.count), to: &buffer)
        try encodeTokens(
          sequence.tokens, dtype: header.dtype, idLimit: UInt64(header.vocabularySize),
          into: &scratch, path: "<stream>")
        buffer += scratch
        buffer += sequence.mask
        counts.sequences += 1
        counts.tokens += sequence.count
      }
      counts.documents += 1
    }
    counts.records += 1
    try emit()
  }

  /// Writes the trailer (counts, summary, checksum) and flushes.
  public func finish(summary: ShardSummary) throws {
    buffer.append(ShardStreamFormat.trailerTag)
    for n in [counts.records, counts.documents, counts.sequences, counts.tokens] {
      appendLittleEndian(UInt64(n), to: &buffer)
    }
    let json = JSONWriter.bytes(summary.jsonValue)
    appendLittleEndian(UInt32(json.count), to: &buffer)
    buffer += json
    try emit(force: true)
    let digest = hasher.finalize().bytes
    try digest.withUnsafeBytes { try output.write($0) }
    try output.finish()
  }

  /// Abandons the output: a reader sees no trailer and rejects the stream.
  public func discard() { output.discard() }
}

/// The 32 bytes of a 64-digit hex string (zeros for malformed input; callers pass real digests).
func hexBytes(_ hex: String) -> [UInt8] {
  let digits = Array(hex.utf8)
  guard digits.count == 64 else { return [UInt8](repeating: 0, count: 32) }
  func value(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
  return (0..<32).map { value(digits[2 * $0]) << 4 | value(digits[2 * $0 + 1]) }
}
