// AtomicFile: complete files appear only on commit, failures leave nothing, and a device path
// or FIFO path (`-o /dev/null`, `-o /dev/stdout`) is written in place, never replaced by a renamed
// plain file.

import Corpus
import Foundation
import Testing

@Suite struct AtomicFileTests {
  func scratch() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "atomic-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test func fileAppearsOnlyOnCommit() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/out.jsonl"
    let file = try AtomicFile(path: path)
    try file.write("a\n")
    #expect(!FileManager.default.fileExists(atPath: path))
    try file.commit()
    #expect(try readBytes(path) == Array("a\n".utf8))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.jsonl"])
  }

  @Test func largeWritesKeepTheirOrderAmongBufferedOnes() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/big.bin"
    let big = (0..<(3 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 7) }  // 1.5 MiB
    let file = try AtomicFile(path: path)
    try file.write([1, 2])
    try file.write(big)
    try file.write([3])
    try file.write(big)
    try file.commit()
    #expect(try readBytes(path) == [1, 2] + big + [3] + big)
  }

  @Test func discardLeavesNothing() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let file = try AtomicFile(path: directory + "/out.jsonl")
    try file.write("a\n")
    file.discard()
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  @Test func fifoIsWrittenInPlaceAndStaysAFIFO() throws {
    // A FIFO stands for any non-regular target (/dev/stdout, /dev/null) without touching /dev.
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/pipe"
    #expect(mkfifo(path, 0o600) == 0)
    // A reader first, so the writer's open does not block.
    let reader = open(path, O_RDONLY | O_NONBLOCK)
    #expect(reader >= 0)
    defer { close(reader) }
    let file = try AtomicFile(path: path)
    #expect(file.writesInPlace)
    try file.write("through\n")
    try file.commit()
    var buffer = [UInt8](repeating: 0, count: 16)
    let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
    #expect(Array(buffer.prefix(max(n, 0))) == Array("through\n".utf8))
    var info = stat()
    #expect(stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["pipe"])
  }

  @Test func directoryIsRefusedByName() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let error = #expect(throws: CorpusError.self) { try AtomicFile(path: directory) }
    #expect(
      error?.description.hasPrefix("\(directory): is a directory, but the output must be a file")
        == true)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  /// A missing parent is reported for the path asked for, never the temp name.
  @Test func missingDirectoryNamesTheRealPath() throws {
    let path = "/nonexistent-\(getpid())/x.jsonl"
    #expect(throws: CorpusError.cannotCreate(path: path, errno: ENOENT)) {
      try AtomicFile(path: path)
    }
  }
}
