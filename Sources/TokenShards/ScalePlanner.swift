// Builds a `ScalePlan` (INTEROP.md §5.3): inputs sorted by path; the concatenated byte stream cut
// into W near-equal ranges, each cut moved forward to just after the next `\n` of a plain JSONL
// input (records are never split), or to the end of an input that cannot be split (compressed, a
// JSON array, XML); each piece hashed (`FileCutter.cut`: a few bytes read to place each cut, then
// the pieces of an input hashed on `threads` threads, each byte once).

import Corpus

#if canImport(Glibc)
import Glibc
#endif

/// Builds plans.
public enum ScalePlanner {
  /// Plans `inputs` (sorted by path) for `worldSize` ranks, hashing each input's pieces on
  /// `threads` threads.
  /// - Throws: `ShardError.invalidConfiguration` for a bad argument (stdin, duplicates, W < 1,
  ///   `shardTokens`), `CorpusError` for an unreadable input, `FormatOptionError` for a bad format.
  public static func plan(
    inputs: [String], worldSize: Int, config: TargetConfig, format: String,
    formatOptions: [String: String], maxRejectRate: Double, tokenizerPath: String,
    registry: FormatRegistry = .standard, threads: Int = 2
  ) throws -> ScalePlan {
    guard worldSize >= 1 else {
      throw ShardError.invalidConfiguration(detail: "world size \(worldSize) is below 1")
    }
    guard config.shardTokens == 0 else {
      throw ShardError.invalidConfiguration(
        detail: "--shard-tokens cannot be combined with plan/merge (the merge writes one shard per"
          + " split; leave it out)")
    }
    try config.validate()
    let paths = inputs.sorted()
    if let bad = paths.first(where: { $0 == "-" }) {
      throw ShardError.invalidConfiguration(
        detail: "'\(bad)' (stdin) cannot be planned; give files")
    }
    for (a, b) in zip(paths, paths.dropFirst()) where a == b {
      throw ShardError.invalidConfiguration(detail: "input \(a) is given twice")
    }
    let options = FormatOptions(formatOptions)
    let fixedReader =
      format == "auto" ? nil : try registry.format(named: format).makeReader(options)
    var entries: [ScalePlan.Input] = []
    for path in paths {
      entries.append(
        try describe(
          path: path, format: format, fixedReader: fixedReader, options: options,
          registry: registry))
    }
    // Targets: k · total / W in the concatenated stream, mapped to (input, local offset).
    let total = entries.reduce(0) { $0 + $1.bytes }
    var starts: [Int] = []
    var running = 0
    for entry in entries {
      starts.append(running)
      running += entry.bytes
    }
    // Each target's input and slot among that input's targets (nil: at an input boundary).
    var localTargets = [[Int]](repeating: [], count: entries.count)
    var targetSlots: [(input: Int, slot: Int)?] = []
    for k in 1..<max(worldSize, 1) {
      let target = k * total / worldSize
      if let i = lastIndex(in: starts, below: target), target < starts[i] + entries[i].bytes {
        targetSlots.append((i, localTargets[i].count))
        localTargets[i].append(target - starts[i])
      } else {
        targetSlots.append(nil)
      }
    }
    // Resolve every input's cuts, then the global cuts G_1 … G_{W-1}.
    var fileCuts: [FileCuts] = []
    for (i, entry) in entries.enumerated() {
      fileCuts.append(
        try FileCutter.cut(
          path: entry.resolved, targets: localTargets[i], splittable: entry.splittable,
          threads: threads))
    }
    var global: [Int] = []
    for k in 1..<max(worldSize, 1) {
      var cut = k * total / worldSize
      if let (i, slot) = targetSlots[k - 1] { cut = starts[i] + fileCuts[i].cuts[slot] }
      global.append(max(cut, global.last ?? 0))
    }
    let bounds = [0] + global + [total]
    // Pieces: each rank's range intersected with each input; an empty input goes to the rank
    // whose range holds its offset.
    let edgesOfInput = entries.indices.map { [0] + fileCuts[$0].cuts + [entries[$0].bytes] }
    var ranks: [[ScalePlan.Piece]] = []
    for r in 0..<worldSize {
      let (lo, hi) = (bounds[r], bounds[r + 1])
      var pieces: [ScalePlan.Piece] = []
      for (i, entry) in entries.enumerated() {
        let (fs, fe) = (starts[i], starts[i] + entry.bytes)
        let start = max(lo, fs)
        let end = min(hi, fe)
        let ownsEmpty =
          entry.bytes == 0 && fs >= lo && (fs < hi || (r == worldSize - 1 && fs == hi))
        guard end > start || ownsEmpty else { continue }
        let local = (start - fs, end - fs)
        // The piece [edges[slot], edges[slot + 1]): the last edge at its start (earlier equal
        // edges bound empty pieces; an empty input's pieces are all alike).
        let edges = edgesOfInput[i]
        let slot = min((lastIndex(in: edges, below: local.0 + 1) ?? 0), edges.count - 2)
        guard edges[slot] == local.0, edges[slot + 1] == local.1 else {
          throw ShardError.invariantViolated(
            path: entry.path,
            detail: "internal planning error at bytes \(local) (please report this)")
        }
        pieces.append(
          ScalePlan.Piece(
            input: i, start: local.0, end: local.1, sha256: fileCuts[i].pieceSHA256[slot],
            firstLine: fileCuts[i].pieceFirstLine[slot]))
      }
      ranks.append(pieces)
    }
    let tokenizerBytes = try ShardFiles.read(tokenizerPath)
    return ScalePlan(
      worldSize: worldSize, inputs: entries, ranks: ranks, config: config, format: format,
      formatOptions: formatOptions, maxRejectRate: maxRejectRate, tokenizerPath: tokenizerPath,
      tokenizerResolved: try absolute(tokenizerPath),
      tokenizerSHA256: SHA256.hash(tokenizerBytes).hex, toolVersion: ToolkitVersion.string)
  }

  /// Size, container, splittability and (for `auto`) the format of an input's first record.
  private static func describe(
    path: String, format: String, fixedReader: InputFormat.Reader?, options: FormatOptions,
    registry: FormatRegistry
  ) throws -> ScalePlan.Input {
    let resolved = try absolute(path)
    guard let size = ShardFiles.size(resolved) else {
      throw CorpusError.cannotOpen(path: path, errno: ENOENT)
    }
    let source = try FileSource(path: resolved)
    var head = [UInt8](repeating: 0, count: 4096)
    var filled = 0
    while filled < head.count {
      let n = try head.withUnsafeMutableBytes {
        try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
      }
      if n == 0 { break }
      filled += n
    }
    head.removeSubrange(filled...)
    let container = Container.sniff(head)
    var entry = ScalePlan.Input(
      path: path, resolved: resolved, bytes: size, container: container.rawValue,
      splittable: false, pinnedFormat: nil)
    guard container == .plain else { return entry }
    switch fixedReader {
    case .wholeInput: return entry
    case .jsonRecords: break
    case nil: if registry.sniff(head: head, options: options) != nil { return entry }
    }
    let body = head.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(head.dropFirst(3)) : head
    guard body.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{")
    else { return entry }
    if fixedReader == nil {
      // The format `auto` would pick: that of the first line that parses as a JSON object.
      let lines = LineReader(try FileSource(path: resolved))
      var found: String?
      var examined = 0
      do {
        try lines.forEachLine { line, _, _ in
          examined += 1
          if let value = try? JSONParser.parse(line), case .object = value {
            found = registry.sniff(record: value, options: options)?.name ?? ""
          }
          if found != nil || examined >= 10_000 { throw ScanDone() }
        }
      } catch is ScanDone {}
      guard let name = found, !name.isEmpty else { return entry }
      entry.pinnedFormat = name
    }
    entry.splittable = true
    return entry
  }

  private struct ScanDone: Error {}

  /// `path` made absolute (symlinks resolved).
  static func absolute(_ path: String) throws -> String {
    guard let resolved = realpath(path, nil) else {
      throw CorpusError.cannotOpen(path: path, errno: errno)
    }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The last index of `sorted` (non-decreasing) whose element is below `value`, by bisection.
  static func lastIndex(in sorted: [Int], below value: Int) -> Int? {
    var (lo, hi) = (0, sorted.count)  // the first element ≥ value is in lo...hi
    while lo < hi {
      let mid = (lo + hi) / 2
      if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo == 0 ? nil : lo - 1
  }
}
