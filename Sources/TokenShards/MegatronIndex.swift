// Megatron-LM indexed dataset `.idx` (MMIDIDX version 1), INTEROP.md §1.2–1.4, little-endian:
//   magic "MMIDIDX\0\0" (9) | version u64 = 1 | dtype code u8 | S u64 | D u64 |
//   sequence_lengths i32[S] | sequence_pointers i64[S] (bytes into .bin) | document_indices i64[D]
// File size = 34 + 12·S + 8·D. D counts the leading 0. Arrays are unaligned: read with loadUnaligned.

/// The token types Megatron understands that we write (INTEROP.md §1.3; never codes 6/7).
public enum MegatronDType: UInt8, Sendable, Equatable {
  case uint8 = 1
  case int32 = 4
  case uint16 = 8

  /// Bytes per element.
  public var itemSize: Int {
    switch self {
    case .uint8: return 1
    case .uint16: return 2
    case .int32: return 4
    }
  }

  /// numpy's name for the type (`uint16`, …), used in manifests.
  public var name: String {
    switch self {
    case .uint8: return "uint8"
    case .uint16: return "uint16"
    case .int32: return "int32"
    }
  }

  /// One past the largest id this type can store.
  public var idLimit: UInt64 {
    switch self {
    case .uint8: return 256
    case .uint16: return 65_536
    case .int32: return UInt64(Int32.max) + 1
    }
  }

  /// megatron-core's `DType.optimal_dtype`: uint16 when `vocabularySize < 65500`, else int32.
  public static func optimal(vocabularySize: Int) -> MegatronDType {
    vocabularySize < 65_500 ? .uint16 : .int32
  }
}

/// The contents of one `.idx` file. Pointers are derived (`ptr[i+1] = ptr[i] + len[i]·itemSize`).
public struct MegatronIndex: Sendable, Equatable {
  /// The 9 magic bytes.
  public static let magic: [UInt8] = Array("MMIDIDX".utf8) + [0, 0]
  /// Size of the fixed header in bytes.
  public static let headerSize = 34

  public var dtype: MegatronDType
  /// Tokens per sequence.
  public var sequenceLengths: [Int32]
  /// Sequence-index boundaries, starting with 0 and ending with `sequenceLengths.count`.
  public var documentIndices: [Int64]

  /// Creates an index; an empty one has `documentIndices == [0]`.
  public init(dtype: MegatronDType, sequenceLengths: [Int32] = [], documentIndices: [Int64] = [0]) {
    self.dtype = dtype
    self.sequenceLengths = sequenceLengths
    self.documentIndices = documentIndices
  }

  /// Number of documents (`D − 1`).
  public var documentCount: Int { documentIndices.count - 1 }
  /// Total tokens over all sequences.
  public var tokenCount: Int { sequenceLengths.reduce(0) { $0 + Int($1) } }
  /// The `.bin` size this index describes, in bytes.
  public var binSize: Int { tokenCount * dtype.itemSize }
  /// The `.idx` size in bytes.
  public var encodedSize: Int {
    Self.headerSize + 12 * sequenceLengths.count + 8 * documentIndices.count
  }

  /// Byte offsets of each sequence in `.bin` (the prefix sum Megatron stores).
  public var sequencePointers: [Int64] {
    var pointers = [Int64]()
    pointers.reserveCapacity(sequenceLengths.count)
    var offset: Int64 = 0
    for length in sequenceLengths {
      pointers.append(offset)
      offset += Int64(length) * Int64(dtype.itemSize)
    }
    return pointers
  }

  /// The `.idx` bytes, exactly as megatron-core's `IndexedDatasetBuilder.finalize` writes them:
  /// stored field by field into one allocation of `encodedSize` bytes (pointers summed on the way;
  /// `encodedReference` is the plain statement, kept as the test oracle).
  public func encoded() -> [UInt8] {
    let size = encodedSize
    let itemSize = Int64(dtype.itemSize)
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      let out = UnsafeMutableRawBufferPointer(buffer)
      out.copyBytes(from: Self.magic)
      out.storeBytes(of: UInt64(1).littleEndian, toByteOffset: 9, as: UInt64.self)
      out[17] = dtype.rawValue
      out.storeBytes(
        of: UInt64(sequenceLengths.count).littleEndian, toByteOffset: 18, as: UInt64.self)
      out.storeBytes(
        of: UInt64(documentIndices.count).littleEndian, toByteOffset: 26, as: UInt64.self)
      var lengthAt = Self.headerSize
      var pointerAt = Self.headerSize + 4 * sequenceLengths.count
      var pointer: Int64 = 0
      for length in sequenceLengths {
        out.storeBytes(of: length.littleEndian, toByteOffset: lengthAt, as: Int32.self)
        out.storeBytes(of: pointer.littleEndian, toByteOffset: pointerAt, as: Int64.self)
        pointer += Int64(length) * itemSize
        lengthAt += 4
        pointerAt += 8
      }
      for index in documentIndices {
        out.storeBytes(of: index.littleEndian, toByteOffset: pointerAt, as: Int64.self)
        pointerAt += 8
      }
      count = size
    }
  }

  /// Reference for `encoded`: the header and arrays appended value by value.
  func encodedReference() -> [UInt8] {
    var out = Self.magic
    out.reserveCapacity(encodedSize)
    appendLittleEndian(UInt64(1), to: &out)
    out.append(dtype.rawValue)
    appendLittleEndian(UInt64(sequenceLengths.count), to: &out)
    appendLittleEndian(UInt64(documentIndices.count), to: &out)
    for length in sequenceLengths { appendLittleEndian(length, to: &out) }
    for pointer in sequencePointers { appendLittleEndian(pointer, to: &out) }
    for index in documentIndices { appendLittleEndian(index, to: &out) }
    return out
  }

  /// Parses and validates `.idx` bytes: magic, version, dtype code, the size formula, stored
  /// pointers equal to the prefix sum, `doc[0] == 0`, non-decreasing boundaries, `doc[D−1] == S`,
  /// and non-negative lengths.
  /// - Throws: `ShardError.badHeader` or `.invariantViolated` naming `path`.
  public static func decode(_ bytes: [UInt8], path: String) throws -> MegatronIndex {
    guard bytes.count >= headerSize else {
      throw ShardError.badHeader(
        path: path, expected: "at least \(headerSize) bytes", found: "\(bytes.count) bytes")
    }
    guard Array(bytes[0..<9]) == magic else {
      throw ShardError.badHeader(
        path: path, expected: "magic MMIDIDX\\0\\0", found: hexString(bytes[0..<9]))
    }
    return try bytes.withUnsafeBytes { raw in
      let version = raw.loadUnaligned(fromByteOffset: 9, as: UInt64.self).littleEndian
      guard version == 1 else {
        throw ShardError.badHeader(path: path, expected: "version 1", found: "version \(version)")
      }
      guard let dtype = MegatronDType(rawValue: raw[17]) else {
        throw ShardError.badHeader(
          path: path, expected: "dtype code 1, 4 or 8", found: "code \(raw[17])")
      }
      let s = raw.loadUnaligned(fromByteOffset: 18, as: UInt64.self).littleEndian
      let d = raw.loadUnaligned(fromByteOffset: 26, as: UInt64.self).littleEndian
      let expected = UInt64(headerSize) &+ 12 &* s &+ 8 &* d
      guard s < UInt64(Int32.max), d < UInt64(Int32.max), d >= 1, expected == UInt64(bytes.count)
      else {
        throw ShardError.badHeader(
          path: path, expected: "file size 34 + 12·S + 8·D with S=\(s), D=\(d)",
          found: "\(bytes.count) bytes")
      }
      let (sequenceCount, documentCount) = (Int(s), Int(d))
      var index = MegatronIndex(dtype: dtype, sequenceLengths: [], documentIndices: [])
      index.sequenceLengths.reserveCapacity(sequenceCount)
      index.documentIndices.reserveCapacity(documentCount)
      var offset = headerSize
      for i in 0..<sequenceCount {
        let length = raw.loadUnaligned(fromByteOffset: offset + 4 * i, as: Int32.self).littleEndian
        guard length >= 0 else {
          throw ShardError.invariantViolated(
            path: path, detail: "sequence \(i) has negative length \(length)")
        }
        index.sequenceLengths.append(length)
      }
      offset += 4 * sequenceCount
      var expectedPointer: Int64 = 0
      for i in 0..<sequenceCount {
        let pointer = raw.loadUnaligned(fromByteOffset: offset + 8 * i, as: Int64.self).littleEndian
        guard pointer == expectedPointer else {
          throw ShardError.invariantViolated(
            path: path,
            detail: "sequence \(i) pointer is \(pointer), expected \(expectedPointer) (prefix sum)")
        }
        expectedPointer += Int64(index.sequenceLengths[i]) * Int64(dtype.itemSize)
      }
      offset += 8 * sequenceCount
      var previous: Int64 = 0
      for k in 0..<documentCount {
        let boundary = raw.loadUnaligned(fromByteOffset: offset + 8 * k, as: Int64.self)
          .littleEndian
        if k == 0, boundary != 0 {
          throw ShardError.invariantViolated(
            path: path, detail: "document_indices[0] is \(boundary), expected 0")
        }
        guard boundary >= previous, boundary <= Int64(sequenceCount) else {
          throw ShardError.invariantViolated(
            path: path, detail: "document_indices[\(k)] = \(boundary) is out of order or > S")
        }
        previous = boundary
        index.documentIndices.append(boundary)
      }
      guard index.documentIndices.last == Int64(sequenceCount) else {
        throw ShardError.invariantViolated(
          path: path,
          detail: "last document index is \(index.documentIndices.last ?? -1), expected S = \(s)")
      }
      return index
    }
  }
}

/// Appends `value` in little-endian byte order.
@inline(__always)
func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
  withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
}

/// Lowercase hex of a few bytes, for error messages.
func hexString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
  bytes.map { byte in
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
  }.joined(separator: " ")
}
