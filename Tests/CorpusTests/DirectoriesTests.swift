// Directories.swift: nested directories made, existing ones accepted, and a failure names the
// first directory that could not be made.

import Corpus
import Foundation
import Testing

@Suite struct DirectoriesTests {
  @Test func makesParentsAndNamesTheFirstFailure() throws {
    let root = NSTemporaryDirectory() + "dirs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: root) }
    try makeParentDirectories(of: root + "/a/b/file.txt")
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: root + "/a/b", isDirectory: &isDirectory))
    #expect(isDirectory.boolValue)
    #expect(!FileManager.default.fileExists(atPath: root + "/a/b/file.txt"))
    try makeDirectories(root + "/a/b/c")  // existing parents are fine
    #expect(FileManager.default.fileExists(atPath: root + "/a/b/c"))
    try makeParentDirectories(of: "file-in-the-working-directory.txt")  // nothing to make
    #expect(FileManager.default.createFile(atPath: root + "/plain", contents: nil))
    #expect(throws: CorpusError.cannotCreate(path: root + "/plain/x", errno: ENOTDIR)) {
      try makeDirectories(root + "/plain/x/y")
    }
  }
}
