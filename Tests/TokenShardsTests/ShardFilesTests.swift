// Whole-file reads: into a fresh array (sized from the file) and into a reused buffer that only
// grows, for empty, small and larger-than-one-chunk files, and a missing file named.

import Testing

@testable import TokenShards

@Suite struct ShardFilesTests {
  @Test func readsWholeFilesIntoFreshAndReusedBuffers() throws {
    let dir = temporaryDirectory()
    defer { removeDirectory(dir) }
    let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    writeFile(dir + "/big", big)
    writeFile(dir + "/small", [1, 2, 3])
    writeFile(dir + "/empty", [])
    #expect(try ShardFiles.read(dir + "/big") == big)
    #expect(try ShardFiles.read(dir + "/small") == [1, 2, 3])
    #expect(try ShardFiles.read(dir + "/empty") == [])
    var buffer: [UInt8] = []
    #expect(try ShardFiles.read(dir + "/small", into: &buffer) == 3)
    #expect(Array(buffer[0..<3]) == [1, 2, 3])
    #expect(try ShardFiles.read(dir + "/big", into: &buffer) == big.count)
    #expect(Array(buffer[0..<big.count]) == big)
    let grown = buffer.count
    #expect(try ShardFiles.read(dir + "/small", into: &buffer) == 3)
    #expect(Array(buffer[0..<3]) == [1, 2, 3] && buffer.count == grown)
    #expect(try ShardFiles.read(dir + "/empty", into: &buffer) == 0)
    #expect(throws: ShardError.missingFile(path: dir + "/none")) {
      try ShardFiles.read(dir + "/none", into: &buffer)
    }
  }
}
