// Reading the framed stream (ShardStream.swift, Schemas/stream.md). Every field is checked as it
// arrives (magic, version, kind, dtype, tokenizer sha256 against the embedded file and the caller's
// expectation, ids < vocabulary, mask bytes 0/1, counts); records are handed to a sink, and the sink
// is finished only after the trailer's counts and checksum match. A stream that ends before its
// trailer, or whose checksum differs, is rejected and the sink discarded: nothing trains on a prefix.

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// Buffered reading of stream bytes from a file descriptor or an array, hashing what it consumes.
final class StreamInput {
  private let fill: (UnsafeMutableRawBufferPointer) throws -> Int
  private var buffer = [UInt8](repeating: 0, count: 1 << 20)
  private var start = 0
  private var end = 0
  /// Bytes consumed so far.
  private(set) var offset = 0
  var hasher = SHA256()

  init(fd: Int32) {
    fill = { raw in
      while true {
        let n = Glibc.read(fd, raw.baseAddress!, raw.count)
        if n < 0 && errno == EINTR { continue }
        if n < 0 { throw ShardError.ioFailed(path: "<stream>", errno: errno) }
        return n
      }
    }
  }

  init(bytes: [UInt8]) {
    var position = 0
    fill = { raw in
      let n = min(raw.count, bytes.count - position)
      raw.copyBytes(from: bytes[position..<position + n])
      position += n
      return n
    }
  }

  /// Exactly `count` bytes, hashed unless `hash` is false.
  /// - Throws: `ShardError.streamTruncated` at end of input.
  func take(_ count: Int, hash: Bool = true, what: String) throws -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(min(count, 1 << 20))  // a corrupt length must not allocate; EOF ends it
    while out.count < count {
      if start == end {
        start = 0
        end = try buffer.withUnsafeMutableBytes { try fill($0) }
        if end == 0 {
          throw ShardError.streamTruncated(
            offset: offset + out.count, detail: "while reading \(what)")
        }
      }
      let n = min(count - out.count, end - start)
      out.append(contentsOf: buffer[start..<start + n])
      start += n
    }
    if hash { out.withUnsafeBytes { hasher.update($0) } }
    offset += count
    return out
  }

  /// True when no byte is left.
  func atEnd() throws -> Bool {
    if start < end { return false }
    start = 0
    end = try buffer.withUnsafeMutableBytes { try fill($0) }
    return end == 0
  }

  func u8(_ what: String) throws -> UInt8 { try take(1, what: what)[0] }
  func u16(_ what: String) throws -> UInt16 { try integer(what) }
  func u32(_ what: String) throws -> UInt32 { try integer(what) }
  func u64(_ what: String) throws -> UInt64 { try integer(what) }

  private func integer<T: FixedWidthInteger>(_ what: String) throws -> T {
    let bytes = try take(MemoryLayout<T>.size, what: what)
    return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
  }
}

/// Reads a framed stream into a `TargetSink`.
public enum ShardStreamReader {
  /// Reads the header only.
  static func readHeader(_ input: StreamInput, expectedTokenizerSHA256: String?) throws
    -> ShardHeader
  {
    let magic = try input.take(8, what: "magic")
    guard magic == ShardStreamFormat.magic else {
      throw ShardError.streamCorrupt(
        offset: 0, detail: "not an rmprep stream (magic \(hexString(magic)), expected RMSTREAM)")
    }
    let version = try input.u32("version")
    guard version == ShardStreamFormat.version else {
      throw ShardError.streamCorrupt(offset: 8, detail: "unsupported version \(version)")
    }
    let kindCode = try input.u8("target kind")
    guard let kind = TargetKind(code: kindCode) else {
      throw ShardError.streamCorrupt(offset: 12, detail: "unknown target kind code \(kindCode)")
    }
    let dtypeCode = try input.u8("dtype")
    guard let dtype = MegatronDType(rawValue: dtypeCode), dtype != .uint8 else {
      throw ShardError.streamCorrupt(offset: 13, detail: "token dtype code \(dtypeCode)")
    }
    _ = try input.u16("reserved")
    let vocab = Int(try input.u32("vocabulary size"))
    let sha = hexString(try input.take(32, what: "tokenizer sha256")).replacingSpaces()
    let ids = try (0..<5).map { _ in try input.u32("special ids") }
    let configLength = Int(try input.u32("config length"))
    guard configLength <= 1 << 20 else {
      throw ShardError.streamCorrupt(
        offset: input.offset - 4, detail: "config of \(configLength) bytes")
    }
    let configBytes = try input.take(configLength, what: "config")
    let config: TargetConfig
    do {
      config = try TargetConfig(
        json: JSONParser.parse(configBytes, path: "<stream>"), path: "<stream>")
    } catch {
      throw ShardError.streamCorrupt(offset: input.offset, detail: "bad config: \(error)")
    }
    guard config.kind == kind else {
      throw ShardError.streamCorrupt(
        offset: input.offset, detail: "config kind differs from header")
    }
    let tokenizerLength = Int(try input.u64("tokenizer length"))
    let tokenizer = try input.take(tokenizerLength, what: "tokenizer.json")
    let header = ShardHeader(
      config: config, vocabularySize: vocab, specialIDs: SpecialIDs(ordered: ids),
      tokenizerFile: tokenizer, dtype: dtype)
    guard header.tokenizerSHA256 == sha else {
      throw ShardError.streamCorrupt(
        offset: input.offset, detail: "embedded tokenizer.json does not match its sha256")
    }
    if let expected = expectedTokenizerSHA256, expected != sha {
      throw ShardError.tokenizerMismatch(
        expected: expected, found: sha, detail: "the stream was made with another tokenizer.json")
    }
    guard dtype == MegatronDType.optimal(vocabularySize: vocab) else {
      throw ShardError.streamCorrupt(
        offset: 13, detail: "dtype \(dtype.name) for vocabulary \(vocab)")
    }
    return header
  }

  /// Reads records until the trailer, writing each to `makeSink(header)`'s sink, then checks the
  /// trailer and finishes the sink. On any error the sink is discarded.
  static func read(
    _ input: StreamInput, expectedTokenizerSHA256: String?,
    makeSink: (ShardHeader) throws -> TargetSink
  ) throws {
    let header = try readHeader(input, expectedTokenizerSHA256: expectedTokenizerSHA256)
    let sink = try makeSink(header)
    do {
      try readBody(input, header: header, sink: sink)
    } catch {
      sink.discard()
      throw error
    }
  }

  private static func readBody(_ input: StreamInput, header: ShardHeader, sink: TargetSink) throws {
    var counts = (records: 0, documents: 0, sequences: 0, tokens: 0)
    let size = header.dtype.itemSize
    while true {
      let frameStart = input.offset
      let tag = try input.u8("frame tag")
      if tag == ShardStreamFormat.trailerTag { break }
      guard tag == ShardStreamFormat.recordTag else {
        throw ShardError.streamCorrupt(offset: frameStart, detail: "bad frame tag \(tag)")
      }
      let splitCode = try input.u8("split")
      guard splitCode <= 1 else {
        throw ShardError.streamCorrupt(offset: frameStart + 1, detail: "bad split \(splitCode)")
      }
      let id = try input.u64("record id")
      var documents: [[TokenSequence]] = []
      for _ in 0..<Int(try input.u16("document count")) {
        var document: [TokenSequence] = []
        for _ in 0..<Int(try input.u16("sequence count")) {
          let length = Int(try input.u32("sequence length"))
          if let limit = header.config.maxLength, length > limit {
            throw ShardError.streamCorrupt(
              offset: input.offset - 4,
              detail: "sequence of \(length) tokens exceeds max_len \(limit)")
          }
          let raw = try input.take(length * size, what: "tokens")
          let ids = raw.withUnsafeBytes {
            decodeTokens($0, byteOffset: 0, count: length, dtype: header.dtype)
          }
          if let largest = ids.max(), Int(largest) >= header.vocabularySize {
            throw ShardError.tokenOutOfRange(
              path: "<stream> @ byte \(frameStart)", id: largest,
              limit: UInt64(header.vocabularySize), detail: "record \(counts.records)")
          }
          let mask = try input.take(length, what: "mask")
          guard mask.allSatisfy({ $0 <= 1 }) else {
            throw ShardError.streamCorrupt(offset: frameStart, detail: "mask byte other than 0/1")
          }
          document.append(TokenSequence(tokens: ids, mask: mask))
          counts.sequences += 1
          counts.tokens += length
        }
        documents.append(document)
        counts.documents += 1
      }
      try sink.write(
        EncodedRecord(id: id, split: splitCode == 0 ? .train : .val, documents: documents))
      counts.records += 1
    }
    let trailerStart = input.offset - 1
    let stored = try (0..<4).map { _ in Int(try input.u64("trailer counts")) }
    guard stored == [counts.records, counts.documents, counts.sequences, counts.tokens] else {
      throw ShardError.streamCorrupt(
        offset: trailerStart,
        detail:
          "trailer counts \(stored) differ from the stream's \([counts.records, counts.documents, counts.sequences, counts.tokens])"
      )
    }
    let summaryLength = Int(try input.u32("summary length"))
    guard summaryLength <= 1 << 26 else {
      throw ShardError.streamCorrupt(
        offset: input.offset - 4, detail: "summary of \(summaryLength) bytes")
    }
    let summaryBytes = try input.take(summaryLength, what: "summary")
    let computed = input.hasher.finalize().bytes
    let checksum = try input.take(32, hash: false, what: "checksum")
    guard checksum == computed else {
      throw ShardError.streamCorrupt(
        offset: input.offset - 32, detail: "checksum mismatch: the stream was altered in transit")
    }
    guard try input.atEnd() else {
      throw ShardError.streamCorrupt(offset: input.offset, detail: "bytes after the trailer")
    }
    let summary: JSONValue
    do { summary = try JSONParser.parse(summaryBytes, path: "<stream>") } catch {
      throw ShardError.streamCorrupt(offset: trailerStart, detail: "bad summary JSON: \(error)")
    }
    try sink.finish(summary: ShardSummary(json: summary))
  }
}

extension String {
  fileprivate func replacingSpaces() -> String { filter { $0 != " " } }
}

/// Reads a stream from `fd` (`--data -`) into a shard directory at `directory` and opens it.
/// The directory gets a manifest only when the whole stream, trailer and checksum included, is good.
/// - Parameter expectedTokenizerSHA256: when given, a stream made with another tokenizer is rejected.
/// - Throws: `ShardError.streamTruncated`, `.streamCorrupt`, `.tokenizerMismatch`, write errors.
public func readStream(from fd: Int32, expectedTokenizerSHA256: String?, into directory: String)
  throws -> ShardDataset
{
  _ = try writeStream(from: fd, expectedTokenizerSHA256: expectedTokenizerSHA256, into: directory)
  return try ShardDataset.open(directory: directory)
}

/// Reads a stream from `fd` into a shard directory and returns its manifest without loading the
/// shards (`rmprep shards`): memory stays flat however long the stream is. The stream's checksum
/// already vouches for every byte written.
/// - Throws: as `readStream(from:expectedTokenizerSHA256:into:)`.
public func writeStream(from fd: Int32, expectedTokenizerSHA256: String?, into directory: String)
  throws -> ShardManifest
{
  try ShardStreamReader.read(
    StreamInput(fd: fd), expectedTokenizerSHA256: expectedTokenizerSHA256
  ) { header in try ShardDirectoryWriter(directory: directory, header: header) }
  let path = directory + "/" + ShardManifest.fileName
  return try ShardManifest.decode(ShardFiles.read(path), path: path)
}

/// Reads stream bytes held in memory into a shard directory (tests, small inputs).
public func readStream(bytes: [UInt8], expectedTokenizerSHA256: String?, into directory: String)
  throws -> ShardDataset
{
  try ShardStreamReader.read(
    StreamInput(bytes: bytes), expectedTokenizerSHA256: expectedTokenizerSHA256
  ) { header in try ShardDirectoryWriter(directory: directory, header: header) }
  return try ShardDataset.open(directory: directory)
}
