// Streaming writer of one Megatron `.bin/.idx` pair (INTEROP.md §1.2–1.6): tokens go to `P.bin` as
// they come (through a temp file), lengths and document boundaries go to unlinked scratch files
// (IntegerSpool), so memory does not grow with the shard, and `finish()` streams `P.idx` (header,
// lengths, pointers as their prefix sums, boundaries) and renames both into place. The bytes equal
// `MegatronIndex.encoded()`, the in-memory reference.
// Every id is range-checked against the vocabulary and the dtype before it is written (K16).

import Corpus

/// A finished output file: name inside its directory, size and sha256.
public struct ShardFile: Sendable, Equatable {
  /// File name relative to the shard directory.
  public var name: String
  /// Size in bytes.
  public var bytes: Int
  /// Lowercase hex sha256 of the contents.
  public var sha256: String

  /// Creates a file record.
  public init(name: String, bytes: Int, sha256: String) {
    self.name = name
    self.bytes = bytes
    self.sha256 = sha256
  }
}

/// Writes one Megatron pair `directory/prefix.{bin,idx}` sequence by sequence.
///
///     let w = try MegatronWriter(directory: d, prefix: "train", dtype: .uint16, idLimit: 512)
///     try w.append([5, 6, 7]); try w.endDocument()
///     try w.append([1, 2]); try w.append([3]); try w.endDocument()
///     let files = try w.finish()            // train.bin (12 bytes), train.idx (94 bytes): §1.8
public final class MegatronWriter {
  /// The prefix (file name without extension).
  public let prefix: String
  public let dtype: MegatronDType
  /// One past the largest id accepted (min of vocabulary size and the dtype's range).
  public let idLimit: UInt64
  private let directory: String
  private let bin: AtomicFile
  private var binHasher = SHA256()
  private var binBytes = 0
  private let lengths: IntegerSpool<Int32>
  private let boundaries: IntegerSpool<Int64>
  private var scratch: [UInt8] = []

  /// Opens `prefix.bin` (as a temp file) for writing.
  /// - Parameters:
  ///   - idLimit: one past the largest allowed id (the vocabulary size; 256 for masks).
  /// - Throws: `CorpusError.cannotOpen`, `ShardError.ioFailed`.
  public init(directory: String, prefix: String, dtype: MegatronDType, idLimit: UInt64) throws {
    self.directory = directory
    self.prefix = prefix
    self.dtype = dtype
    self.idLimit = min(idLimit, dtype.idLimit)
    self.bin = try AtomicFile(path: directory + "/" + prefix + ".bin")
    self.lengths = try IntegerSpool(directory: directory)
    self.boundaries = try IntegerSpool(directory: directory)
    try boundaries.append(0)
  }

  /// Sequences written so far.
  public var sequenceCount: Int { lengths.count }
  /// Documents closed so far.
  public var documentCount: Int { boundaries.count - 1 }
  /// Tokens written so far.
  public var tokenCount: Int { binBytes / dtype.itemSize }

  /// Appends one sequence of ids to the current document.
  /// - Throws: `ShardError.tokenOutOfRange` (nothing is written), `CorpusError.writeFailed`.
  public func append(_ ids: [UInt32]) throws {
    try encodeTokens(ids, dtype: dtype, idLimit: idLimit, into: &scratch, path: binName)
    try appendEncoded(count: ids.count)
  }

  /// Appends one sequence of mask bytes (uint8 pairs only).
  public func append(bytes: [UInt8]) throws {
    precondition(dtype == .uint8, "MegatronWriter.append(bytes:) needs a uint8 pair")
    scratch = bytes
    try appendEncoded(count: bytes.count)
  }

  private func appendEncoded(count: Int) throws {
    guard count <= Int(Int32.max) else {
      throw ShardError.invalidConfiguration(detail: "a sequence of \(count) tokens exceeds int32")
    }
    try scratch.withUnsafeBytes { raw in
      binHasher.update(raw)
      try bin.write(raw)
    }
    binBytes += scratch.count
    try lengths.append(Int32(count))
  }

  /// Closes the current document (its sequences are those appended since the last call).
  /// - Throws: `ShardError.ioFailed` when the disk is full.
  public func endDocument() throws {
    try boundaries.append(Int64(lengths.count))
  }

  /// Writes `prefix.idx`, renames both files into place and returns them (`.bin` first).
  public func finish() throws -> [ShardFile] {
    try bin.commit()
    let idx = try AtomicFile(path: directory + "/" + prefix + ".idx")
    var hasher = SHA256()
    var out: [UInt8] = []
    var written = 0
    func emit(final: Bool = false) throws {
      guard final || out.count >= 1 << 16 else { return }
      out.withUnsafeBytes { hasher.update($0) }
      try idx.write(out)
      written += out.count
      out.removeAll(keepingCapacity: true)
    }
    out += MegatronIndex.magic
    appendLittleEndian(UInt64(1), to: &out)
    out.append(dtype.rawValue)
    appendLittleEndian(UInt64(lengths.count), to: &out)
    appendLittleEndian(UInt64(boundaries.count), to: &out)
    try lengths.forEach { length in
      appendLittleEndian(length, to: &out)
      try emit()
    }
    var pointer: Int64 = 0
    try lengths.forEach { length in
      appendLittleEndian(pointer, to: &out)
      pointer += Int64(length) * Int64(dtype.itemSize)
      try emit()
    }
    try boundaries.forEach { boundary in
      appendLittleEndian(boundary, to: &out)
      try emit()
    }
    try emit(final: true)
    try idx.commit()
    return [
      ShardFile(name: binName, bytes: binBytes, sha256: binHasher.finalize().hex),
      ShardFile(name: prefix + ".idx", bytes: written, sha256: hasher.finalize().hex),
    ]
  }

  /// Abandons both files (removes the temp `.bin`).
  public func discard() { bin.discard() }

  private var binName: String { prefix + ".bin" }
}

/// Encodes ids little-endian in `dtype` into `out` (replacing its contents), checking each id.
/// Fast path of `encodeTokensReference`; both must give the same bytes and the same errors.
/// - Throws: `ShardError.tokenOutOfRange` for the first id ≥ `idLimit`.
func encodeTokens(
  _ ids: [UInt32], dtype: MegatronDType, idLimit: UInt64, into out: inout [UInt8], path: String
) throws {
  // Performance notes: one range check (max) per sequence instead of a branch per id, then a plain
  // store loop over the raw buffer (no per-id array append).
  let idLimit = min(idLimit, dtype.idLimit)
  if let largest = ids.max(), UInt64(largest) >= idLimit {
    throw ShardError.tokenOutOfRange(
      path: path, id: largest, limit: idLimit,
      detail: "\(dtype.name) shards hold ids below \(idLimit); refusing to wrap it")
  }
  out.removeAll(keepingCapacity: true)
  let size = dtype.itemSize
  out.append(contentsOf: repeatElement(0, count: ids.count * size))
  out.withUnsafeMutableBytes { raw in
    switch dtype {
    case .uint8:
      for (i, id) in ids.enumerated() { raw[i] = UInt8(truncatingIfNeeded: id) }
    case .uint16:
      for (i, id) in ids.enumerated() {
        raw.storeBytes(
          of: UInt16(truncatingIfNeeded: id).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
      }
    case .int32:
      for (i, id) in ids.enumerated() {
        raw.storeBytes(
          of: Int32(truncatingIfNeeded: id).littleEndian, toByteOffset: 4 * i, as: Int32.self)
      }
    }
  }
}

/// The naive reference of `encodeTokens`: one id at a time, checked, appended.
func encodeTokensReference(
  _ ids: [UInt32], dtype: MegatronDType, idLimit: UInt64, path: String
) throws -> [UInt8] {
  let idLimit = min(idLimit, dtype.idLimit)
  var out: [UInt8] = []
  for id in ids {
    if UInt64(id) >= idLimit {
      throw ShardError.tokenOutOfRange(
        path: path, id: ids.max()!, limit: idLimit,
        detail: "\(dtype.name) shards hold ids below \(idLimit); refusing to wrap it")
    }
    switch dtype {
    case .uint8: out.append(UInt8(id))
    case .uint16: appendLittleEndian(UInt16(id), to: &out)
    case .int32: appendLittleEndian(Int32(id), to: &out)
    }
  }
  return out
}

/// Decodes `.bin` bytes of `dtype` at `byteOffset` into ids.
func decodeTokens(_ raw: UnsafeRawBufferPointer, byteOffset: Int, count: Int, dtype: MegatronDType)
  -> [UInt32]
{
  var ids = [UInt32]()
  ids.reserveCapacity(count)
  switch dtype {
  case .uint8:
    for i in 0..<count { ids.append(UInt32(raw[byteOffset + i])) }
  case .uint16:
    for i in 0..<count {
      ids.append(
        UInt32(raw.loadUnaligned(fromByteOffset: byteOffset + 2 * i, as: UInt16.self).littleEndian))
    }
  case .int32:
    for i in 0..<count {
      let v = raw.loadUnaligned(fromByteOffset: byteOffset + 4 * i, as: Int32.self).littleEndian
      ids.append(UInt32(bitPattern: v))
    }
  }
  return ids
}
