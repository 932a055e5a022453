// AtomicFile: complete files appear only on commit, failures leave nothing, and a device path
// (`-o /dev/null`, `-o /dev/stdout`) is written in place, never replaced by a renamed plain file.

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

  @Test func discardLeavesNothing() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let file = try AtomicFile(path: directory + "/out.jsonl")
    try file.write("a\n")
    file.discard()
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  @Test func devicePathIsWrittenInPlaceAndStaysADevice() throws {
    let file = try AtomicFile(path: "/dev/null")
    #expect(file.writesInPlace)
    try file.write("discarded\n")
    try file.commit()
    let type =
      try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
    #expect(type == .typeCharacterSpecial)
  }

  @Test func directoryIsRefusedByName() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let error = #expect(throws: CorpusError.self) { try AtomicFile(path: directory) }
    #expect(error?.description == "\(directory): cannot open: Is a directory")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }
}
