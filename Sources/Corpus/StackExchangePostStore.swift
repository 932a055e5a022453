// Bounded-memory storage for the Stack Exchange pairing pass. Dumps do not list answers after
// their question (the 2024 dump has all questions first), so pairing waits for the whole file.
// What pairing needs of each post (ids, score, accepted id: 40 bytes) stays in memory; the texts
// and attribution (the bulk) go to an append-only arena that moves to an unlinked temp file once
// it exceeds `memoryLimit` bytes, and are read back with pread(2) when the pairs are written.
// The in-memory arena grows with realloc(3), which glibc serves with mremap for large blocks: no
// copy and no fresh zeroed pages per doubling, as a growing Swift array would cost.

#if canImport(Glibc)
import Glibc
#endif

/// Text blobs appended once and read back by reference; spills to a temp file over a limit.
final class SpillableTextStore {
  /// Where a blob lives: offset and length in the (logical) arena.
  struct Ref: Sendable, Equatable {
    var offset: Int
    var count: Int
  }

  let memoryLimit: Int
  /// The in-memory part of the arena: `count` bytes used of `capacity` allocated.
  private var memory: UnsafeMutableRawPointer? = nil
  private var count = 0
  private var capacity = 0
  private var fd: Int32 = -1
  /// Bytes already written to the temp file (the arena's first `spilled` bytes).
  private(set) var spilled = 0
  /// True once the arena moved to disk.
  var hasSpilled: Bool { fd >= 0 }

  /// - Parameter memoryLimit: bytes kept in memory before spilling (0 = spill from the start).
  init(memoryLimit: Int) {
    self.memoryLimit = memoryLimit
  }

  deinit {
    if fd >= 0 { close(fd) }
    free(memory)
  }

  /// Appends `bytes`; returns where they are.
  /// - Throws: `CorpusError.writeFailed` when the temp file cannot be created or written.
  func append(_ bytes: [UInt8]) throws -> Ref {
    let ref = Ref(offset: spilled + count, count: bytes.count)
    if count + bytes.count > capacity {
      let grown = max(capacity * 2, count + bytes.count, 1 << 16)
      guard let moved = realloc(memory, grown) else {
        throw CorpusError.writeFailed(path: "<memory>", errno: ENOMEM)
      }
      memory = moved
      capacity = grown
    }
    bytes.withUnsafeBytes { source in
      if let base = source.baseAddress {
        (memory! + count).copyMemory(from: base, byteCount: source.count)
      }
    }
    count += bytes.count
    if count > max(memoryLimit, 1 << 16) || (memoryLimit == 0 && count >= 1 << 16) {
      try spill()
    }
    return ref
  }

  /// The bytes at `ref`.
  func read(_ ref: Ref) throws -> [UInt8] {
    if ref.count == 0 { return [] }
    if ref.offset >= spilled {
      let start = ref.offset - spilled
      return Array(UnsafeRawBufferPointer(start: memory! + start, count: ref.count))
    }
    var out = [UInt8](repeating: 0, count: ref.count)
    var done = 0
    while done < ref.count {
      let n = out.withUnsafeMutableBytes { buffer in
        pread(fd, buffer.baseAddress! + done, ref.count - done, off_t(ref.offset + done))
      }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw CorpusError.readFailed(path: Self.temporaryName, errno: errno) }
      done += n
    }
    return out
  }

  static var temporaryName: String {
    let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    return directory + "/rmprep-stackexchange-XXXXXX"
  }

  /// Moves the in-memory part to the temp file (created on first use, unlinked at once so a
  /// killed run leaves nothing behind).
  private func spill() throws {
    if fd < 0 {
      var template = Array(Self.temporaryName.utf8CString)
      fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
      guard fd >= 0 else { throw CorpusError.writeFailed(path: Self.temporaryName, errno: errno) }
      template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }
    var done = 0
    while done < count {
      let n = pwrite(fd, memory! + done, count - done, off_t(spilled + done))
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw CorpusError.writeFailed(path: Self.temporaryName, errno: errno) }
      done += n
    }
    spilled += count
    count = 0
  }
}

/// Length-prefixed string fields in one blob (UInt32 little-endian length, then UTF-8 bytes; a
/// length of 0xFFFF_FFFF means "absent").
enum BlobFields {
  static func encode(_ fields: [String?]) -> [UInt8] {
    var out: [UInt8] = []
    for field in fields {
      guard var field else {
        append(nil, to: &out)
        continue
      }
      field.withUTF8 { append($0, to: &out) }
    }
    return out
  }

  /// Appends one field (nil: absent).
  static func append(_ field: UnsafeBufferPointer<UInt8>?, to out: inout [UInt8]) {
    guard let field else {
      out.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
      return
    }
    let count = UInt32(field.count)
    out.append(contentsOf: [
      UInt8(count & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count >> 16 & 0xFF), UInt8(count >> 24),
    ])
    out.append(contentsOf: field)
  }

  static func decode(_ blob: [UInt8]) -> [String?] {
    var fields: [String?] = []
    forEachField(blob) { index, bytes in
      fields.append(bytes.map { String(decoding: $0, as: UTF8.self) })
    }
    return fields
  }

  /// `decode`, with field 0 (a Body's HTML) rendered to text as it is read:
  /// `StackExchangePost.renderedBody` of the decoded field, without making a String of the HTML.
  static func decode(_ blob: [UInt8], renderingFirstWith renderer: inout HTMLStreamText)
    -> [String?]
  {
    var fields: [String?] = []
    forEachField(blob) { index, bytes in
      guard index == 0, let bytes else {
        fields.append(bytes.map { String(decoding: $0, as: UTF8.self) })
        return
      }
      fields.append(bytes.isEmpty ? "" : HTMLText.render(bytes, with: &renderer))
    }
    return fields
  }

  /// Calls `body` with the index and bytes (nil: absent) of every field of `blob`.
  static func forEachField(
    _ blob: [UInt8], _ body: (Int, UnsafeBufferPointer<UInt8>?) -> Void
  ) {
    blob.withUnsafeBufferPointer { bytes in
      var index = 0
      var field = 0
      while index + 4 <= bytes.count {
        let count =
          Int(bytes[index]) | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2]) << 16
          | Int(bytes[index + 3]) << 24
        index += 4
        if count == 0xFFFF_FFFF {
          body(field, nil)
        } else {
          body(field, UnsafeBufferPointer(rebasing: bytes[index..<(index + count)]))
          index += count
        }
        field += 1
      }
    }
  }
}
