// safetensors files (F32 only): 8-byte little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}},
// then the raw little-endian data; offsets are relative to the end of the header.
// Writing is atomic (temp file + fsync + rename); reading checks every offset against the file
// size first, so a truncated or inconsistent file is a CheckpointError, never a crash.

import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// A tensor read from a safetensors file.
public struct SafeTensor: Sendable, Equatable {
  /// Row-major shape.
  public var shape: [Int]
  /// Values, row-major.
  public var values: [Float]

  /// A tensor with `shape` and `values` (count must match).
  public init(shape: [Int], values: [Float]) {
    self.shape = shape
    self.values = values
  }
}

/// Reads and writes safetensors files with F32 tensors.
public enum SafeTensorsFile {
  /// Writes `tensors` (name → shape and contiguous values) and string metadata to `path`
  /// atomically. Tensors are stored in name order; the header is padded to 8 bytes.
  /// - Throws: `CheckpointError.io` when the file cannot be written.
  public static func write(
    path: String, tensors: [(name: String, shape: [Int], values: UnsafeBufferPointer<Float>)],
    metadata: [String: String]
  ) throws {
    let sorted = tensors.sorted { $0.name < $1.name }
    var entries: [String] = []
    if !metadata.isEmpty {
      let fields = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
      entries.append("\"__metadata__\":{" + fields.joined(separator: ",") + "}")
    }
    var offset = 0
    for tensor in sorted {
      precondition(
        tensor.values.count == tensor.shape.reduce(1, *), "safetensors: \(tensor.name) size")
      let end = offset + tensor.values.count * 4
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      entries.append(
        "\(jsonString(tensor.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"
      )
      offset = end
    }
    var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
    while header.count % 8 != 0 { header.append(0x20) }
    try AtomicWriter.write(path: path) { out in
      var length = UInt64(header.count).littleEndian
      try withUnsafeBytes(of: &length) { try out.write($0) }
      try header.withUnsafeBytes { try out.write($0) }
      for tensor in sorted { try out.write(UnsafeRawBufferPointer(tensor.values)) }
    }
  }

  /// Reads every tensor of `path` (F32 only) and the `__metadata__` strings.
  /// - Throws: `CheckpointError` (io, truncated, badHeader, unsupportedDType).
  public static func read(path: String) throws -> (
    tensors: [String: SafeTensor], metadata: [String: String]
  ) {
    let bytes = try readWholeFile(path: path)
    guard bytes.count >= 8 else {
      throw CheckpointError.truncated(path: path, expectedBytes: 8, foundBytes: bytes.count)
    }
    var headerLength = 0
    for i in 0..<8 { headerLength |= Int(bytes[i]) << (8 * i) }
    guard headerLength > 1, headerLength <= 100_000_000 else {
      throw CheckpointError.badHeader(
        path: path, detail: "header length \(headerLength) is implausible")
    }
    guard 8 + headerLength <= bytes.count else {
      throw CheckpointError.truncated(
        path: path, expectedBytes: 8 + headerLength, foundBytes: bytes.count)
    }
    let header: [String: HeaderEntry]
    do {
      header = try JSONDecoder().decode(
        [String: HeaderEntry].self, from: Data(bytes[8..<(8 + headerLength)]))
    } catch {
      throw CheckpointError.badHeader(path: path, detail: "header JSON: \(error)")
    }
    let dataStart = 8 + headerLength
    let dataSize = bytes.count - dataStart
    var tensors: [String: SafeTensor] = [:]
    var metadata: [String: String] = [:]
    var maxEnd = 0
    for (name, entry) in header {
      switch entry {
      case .metadata(let fields): metadata = fields
      case .tensor(let dtype, let shape, let begin, let end):
        guard dtype == "F32" else {
          throw CheckpointError.unsupportedDType(path: path, tensor: name, dtype: dtype)
        }
        let count = shape.reduce(1, *)
        guard begin >= 0, end >= begin, end - begin == count * 4, shape.allSatisfy({ $0 >= 0 })
        else {
          throw CheckpointError.badHeader(
            path: path,
            detail: "tensor \(name): offsets [\(begin), \(end)] do not fit shape \(shape)")
        }
        guard end <= dataSize else {
          throw CheckpointError.truncated(
            path: path, expectedBytes: dataStart + end, foundBytes: bytes.count)
        }
        maxEnd = max(maxEnd, end)
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBytes { target in
          bytes.withUnsafeBytes { source in
            target.copyMemory(
              from: UnsafeRawBufferPointer(
                rebasing: source[(dataStart + begin)..<(dataStart + end)]))
          }
        }
        tensors[name] = SafeTensor(shape: shape, values: values)
      }
    }
    guard maxEnd == dataSize else {
      throw CheckpointError.badHeader(
        path: path, detail: "data section is \(dataSize) bytes but tensors cover \(maxEnd)")
    }
    return (tensors, metadata)
  }
}

/// One value of the header object: a tensor description or the metadata map.
private enum HeaderEntry: Decodable {
  case tensor(dtype: String, shape: [Int], begin: Int, end: Int)
  case metadata([String: String])

  private enum Keys: String, CodingKey { case dtype, shape, data_offsets }

  init(from decoder: Decoder) throws {
    if let fields = try? decoder.singleValueContainer().decode([String: String].self) {
      self = .metadata(fields)
      return
    }
    let c = try decoder.container(keyedBy: Keys.self)
    let offsets = try c.decode([Int].self, forKey: .data_offsets)
    guard offsets.count == 2 else {
      throw DecodingError.dataCorruptedError(
        forKey: .data_offsets, in: c, debugDescription: "data_offsets must have two entries")
    }
    self = .tensor(
      dtype: try c.decode(String.self, forKey: .dtype),
      shape: try c.decode([Int].self, forKey: .shape),
      begin: offsets[0], end: offsets[1])
  }
}

/// Reads a whole file into memory.
/// - Throws: `CheckpointError.io`.
func readWholeFile(path: String) throws -> [UInt8] {
  let fd = open(path, O_RDONLY)
  guard fd >= 0 else { throw CheckpointError.io(path: path, operation: "open", errno: errno) }
  defer { close(fd) }
  var info = stat()
  guard fstat(fd, &info) == 0 else {
    throw CheckpointError.io(path: path, operation: "stat", errno: errno)
  }
  let size = Int(info.st_size)
  var bytes = [UInt8](repeating: 0, count: size)
  var done = 0
  try bytes.withUnsafeMutableBytes { buffer in
    while done < size {
      let n = read(fd, buffer.baseAddress! + done, size - done)
      if n < 0 {
        if errno == EINTR { continue }
        throw CheckpointError.io(path: path, operation: "read", errno: errno)
      }
      if n == 0 { break }
      done += n
    }
  }
  return done == size ? bytes : Array(bytes[0..<done])
}

/// Writes a file through `path.tmp-<pid>`, fsyncs and renames it into place; the temp file is
/// removed on any failure, so a reader never sees a partial file under `path`.
enum AtomicWriter {
  final class Output {
    let fd: Int32
    let path: String
    init(fd: Int32, path: String) {
      self.fd = fd
      self.path = path
    }
    func write(_ bytes: UnsafeRawBufferPointer) throws {
      var done = 0
      while done < bytes.count {
        let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          throw CheckpointError.io(path: path, operation: "write", errno: errno)
        }
        done += n
      }
    }
  }

  static func write(path: String, _ body: (Output) throws -> Void) throws {
    let temp = "\(path).tmp-\(getpid())"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw CheckpointError.io(path: temp, operation: "create", errno: errno) }
    do {
      try body(Output(fd: fd, path: path))
      guard fsync(fd) == 0 else {
        throw CheckpointError.io(path: path, operation: "fsync", errno: errno)
      }
      guard close(fd) == 0 else {
        throw CheckpointError.io(path: path, operation: "close", errno: errno)
      }
    } catch {
      close(fd)
      unlink(temp)
      throw error
    }
    guard rename(temp, path) == 0 else {
      let code = errno
      unlink(temp)
      throw CheckpointError.io(path: path, operation: "rename into place", errno: code)
    }
  }

  /// Writes `text` atomically.
  static func write(path: String, text: String) throws {
    try write(path: path) { out in
      var copy = text
      try copy.withUTF8 { try out.write(UnsafeRawBufferPointer($0)) }
    }
  }
}
