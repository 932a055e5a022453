// Cutting one input of a plan at record boundaries (INTEROP.md §5.3). Two steps:
//   1. place the cuts: each target offset moves to just after the first `\n` at or after
//      `target - 1`, found by reading forward from there in `chunkSize` windows (only the bytes up
//      to that newline are read); a target at or before the previous cut shares it;
//   2. hash the pieces between the cuts and count their newlines (for their first line numbers),
//      each piece read once in `chunkSize` chunks (256 KiB: cache-sized, cheap to allocate),
//      the pieces spread over `threads` threads (largest first, each to the least loaded
//      thread), each thread hashing its pieces two at a time on two SHA-NI lanes, so memory is
//      `threads × 2 × chunkSize`.
// `naiveCut` is the whole-file, byte-by-byte reference the tests compare with.

import Corpus
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Where one input's cuts fell, with the sha256 and first line of each piece between them.
public struct FileCuts: Sendable, Equatable {
  /// Resolved cut offsets, one per target, non-decreasing.
  public var cuts: [Int]
  /// sha256 (hex) of each piece `[0, cuts[0])`, `[cuts[0], cuts[1])`, …, `[cuts.last, size)`.
  public var pieceSHA256: [String]
  /// 1-based line number where each piece starts.
  public var pieceFirstLine: [Int]
}

/// Cuts one input at record boundaries.
public enum FileCutter {
  /// Cuts `path`: `targets` are sorted offsets in `(0, size)`; each moves to just after the first
  /// `\n` at or after `target - 1` (the end when none), or to the end for every target when
  /// `splittable` is false. The pieces are hashed on up to `threads` threads.
  /// - Throws: `CorpusError.cannotOpen` / `.readFailed`.
  public static func cut(
    path: String, targets: [Int], splittable: Bool, chunkSize: Int = 1 << 18, threads: Int = 1
  ) throws -> FileCuts {
    let file = try InputFile(path: path)
    defer { file.close() }
    let chunk = max(1, chunkSize)
    // 1. The cuts.
    var cuts: [Int] = []
    var last = 0
    var window = [UInt8](repeating: 0, count: min(chunk, 1 << 16))
    for target in targets {
      guard splittable, target > last else {
        cuts.append(splittable ? last : file.size)
        continue
      }
      var cut = file.size
      var at = target - 1
      while at < file.size {
        let n = try window.withUnsafeMutableBytes {
          try file.read(into: $0, at: at, count: min($0.count, file.size - at))
        }
        if n == 0 { break }
        let hit = window.withUnsafeBytes { memchr($0.baseAddress!, 0x0A, n) }
        if let hit {
          cut =
            at + window.withUnsafeBytes { $0.baseAddress!.distance(to: UnsafeRawPointer(hit)) }
            + 1
          break
        }
        at += n
      }
      cuts.append(cut)
      last = cut
    }
    // 2. The pieces: hash and newline count each, spread over the threads.
    let bounds = [0] + cuts + [file.size]
    let pieces = bounds.count - 1
    var hashes = [String](repeating: "", count: pieces)
    var newlines = [Int](repeating: 0, count: pieces)
    let sizes: [Int] = (0..<pieces).map { bounds[$0 + 1] - bounds[$0] }
    let workers = max(1, min(threads, sizes.filter { $0 > 0 }.count))
    // Largest piece first, each to the thread with the fewest bytes so far.
    var assigned = [[Int]](repeating: [], count: workers)
    var load = [Int](repeating: 0, count: workers)
    let largestFirst: [Int] = (0..<pieces).sorted { (a: Int, b: Int) -> Bool in sizes[a] > sizes[b]
    }
    for k in largestFirst {
      var w = 0
      for candidate in 1..<workers where load[candidate] < load[w] { w = candidate }
      assigned[w].append(k)
      load[w] += sizes[k]
    }
    var failures = [Error?](repeating: nil, count: workers)
    hashes.withUnsafeMutableBufferPointer { hashSlots in
      newlines.withUnsafeMutableBufferPointer { lineSlots in
        failures.withUnsafeMutableBufferPointer { errorSlots in
          // Safe: each piece's slots are written by the one thread it is assigned to, each
          // thread's error slot by that thread, and all are read after the threads finish.
          nonisolated(unsafe) let (hashOut, linesOut, errorOut) = (hashSlots, lineSlots, errorSlots)
          let plan = assigned
          let work = { @Sendable (w: Int) in
            var buffers = [[UInt8]](repeating: [UInt8](repeating: 0, count: chunk), count: 2)
            do {
              // Two pieces at a time, hashed on two SHA-NI lanes (SHA256+TwoLanes).
              for first in stride(from: 0, to: plan[w].count, by: 2) {
                let ks = Array(plan[w][first..<min(first + 2, plan[w].count)])
                let results = try hashPieces(
                  file, ks.map { bounds[$0]..<bounds[$0 + 1] }, buffers: &buffers)
                for (k, result) in zip(ks, results) { (hashOut[k], linesOut[k]) = result }
              }
            } catch {
              errorOut[w] = error
            }
          }
          if workers == 1 {
            work(0)
          } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
          }
        }
      }
    }
    if let failure = failures.compactMap({ $0 }).first { throw failure }
    var firstLines = [1]
    for k in 0..<(pieces - 1) { firstLines.append(firstLines[k] + newlines[k]) }
    return FileCuts(cuts: cuts, pieceSHA256: hashes, pieceFirstLine: firstLines)
  }

  /// Reference: the same result from the whole file in memory, byte by byte.
  public static func naiveCut(bytes: [UInt8], targets: [Int], splittable: Bool) -> FileCuts {
    var cuts: [Int] = []
    var last = 0
    for target in targets {
      var cut = bytes.count
      if splittable {
        var i = max(target, last)
        while i < bytes.count && bytes[i - 1] != 0x0A { i += 1 }
        cut = max(min(i, bytes.count), last)
      }
      cuts.append(cut)
      last = cut
    }
    let bounds = [0] + cuts + [bytes.count]
    var hashes: [String] = []
    var lines: [Int] = []
    for k in 0..<(bounds.count - 1) {
      hashes.append(SHA256.hash(Array(bytes[bounds[k]..<bounds[k + 1]])).hex)
      lines.append(bytes[0..<bounds[k]].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) })
    }
    return FileCuts(cuts: cuts, pieceSHA256: hashes, pieceFirstLine: lines)
  }

  /// sha256 (hex) and newline count of each of one or two byte ranges of `file`, read side by
  /// side in chunks the size of `buffers[0]` and hashed together (`SHA256.update(_:_:_:_:)`).
  private static func hashPieces(
    _ file: InputFile, _ ranges: [Range<Int>], buffers: inout [[UInt8]]
  ) throws -> [(String, Int)] {
    var (first, second) = (SHA256(), SHA256())
    var newlines = [0, 0]
    var at = ranges.map(\.lowerBound) + [0]
    let ends = ranges.map(\.upperBound) + [0]
    while at[0] < ends[0] || at[1] < ends[1] {
      var n = [0, 0]
      for s in 0..<2 where at[s] < ends[s] {
        n[s] = try buffers[s].withUnsafeMutableBytes {
          try file.read(into: $0, at: at[s], count: min($0.count, ends[s] - at[s]))
        }
        guard n[s] > 0 else { throw CorpusError.readFailed(path: file.path, errno: EIO) }
        at[s] += n[s]
      }
      buffers[0].withUnsafeBytes { raw0 in
        buffers[1].withUnsafeBytes { raw1 in
          let a = UnsafeRawBufferPointer(rebasing: raw0[0..<n[0]])
          let b = UnsafeRawBufferPointer(rebasing: raw1[0..<n[1]])
          SHA256.update(&first, a, &second, b)
          newlines[0] += Corpus.newlines(in: a).count
          newlines[1] += Corpus.newlines(in: b).count
        }
      }
    }
    let digests = [first.finalize().hex, second.finalize().hex]
    return ranges.indices.map { (digests[$0], newlines[$0]) }
  }
}

/// A regular file opened for positioned reads (`pread`), shareable between threads.
private struct InputFile: Sendable {
  let path: String
  let descriptor: Int32
  let size: Int

  /// - Throws: `CorpusError.cannotOpen` (also for a directory).
  init(path: String) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw CorpusError.cannotOpen(path: path, errno: errno) }
    var info = stat()
    let statFailed = fstat(fd, &info) != 0
    guard !statFailed, info.st_mode & S_IFMT != S_IFDIR else {
      let code = statFailed ? errno : EISDIR
      Glibc.close(fd)
      throw CorpusError.cannotOpen(path: path, errno: code)
    }
    self.path = path
    descriptor = fd
    size = Int(info.st_size)
  }

  /// Reads up to `count` bytes at `offset` into `buffer`; 0 at the end of the file.
  /// - Throws: `CorpusError.readFailed`.
  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int, count: Int) throws -> Int {
    while true {
      let n = pread(descriptor, buffer.baseAddress, min(count, buffer.count), off_t(offset))
      if n >= 0 { return n }
      if errno != EINTR { throw CorpusError.readFailed(path: path, errno: errno) }
    }
  }

  func close() { Glibc.close(descriptor) }
}
