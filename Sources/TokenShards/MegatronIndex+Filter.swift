// Keeping some documents of a Megatron pair: the kept documents' sequences in order, with their
// bytes copied from the `.bin` (each document's sequences are contiguous, so one copy per run of
// kept documents). `rmprep merge` uses it to drop from a rank's part the records an earlier rank
// already had (`PartMerger`, `RecordLedger`).

import Corpus

extension MegatronIndex {
  /// The documents whose `keep` flag is set (one flag per document) and their bytes of `bin`.
  /// - Throws: `ShardError.badHeader` naming `path` when `bin` or `keep` do not fit the index.
  public func keeping(_ keep: [Bool], bin: [UInt8], path: String) throws -> (
    index: MegatronIndex, bin: [UInt8]
  ) {
    let (index, runs) = try keptRuns(keep, binSize: bin.count, path: path)
    var out: [UInt8] = []
    out.reserveCapacity(runs.reduce(0) { $0 + $1.count })
    for run in runs { out += bin[run] }
    return (index, out)
  }

  /// `keeping` without copying: the kept documents' index and the byte ranges of the `.bin` (of
  /// `binSize` bytes) that hold them, one per run of kept documents, in order.
  /// - Throws: as `keeping`.
  public func keptRuns(_ keep: [Bool], binSize size: Int, path: String) throws -> (
    index: MegatronIndex, runs: [Range<Int>]
  ) {
    guard size == binSize else {
      throw ShardError.badHeader(
        path: path + ".bin", expected: "\(binSize) bytes (from its .idx)", found: "\(size)")
    }
    guard keep.count == documentCount else {
      throw ShardError.badHeader(
        path: path + ".idx", expected: "\(keep.count) documents", found: "\(documentCount)")
    }
    var index = MegatronIndex(dtype: dtype)
    index.sequenceLengths.reserveCapacity(sequenceLengths.count)
    index.documentIndices.reserveCapacity(documentIndices.count)
    var runs: [Range<Int>] = []
    var pointer = 0  // byte offset of the current document's first sequence
    var run: Int?  // first byte of the current run of kept documents
    for d in 0..<documentCount {
      let (first, end) = (Int(documentIndices[d]), Int(documentIndices[d + 1]))
      var bytes = 0
      for k in first..<end { bytes += Int(sequenceLengths[k]) * dtype.itemSize }
      if keep[d] {
        if run == nil { run = pointer }
        index.sequenceLengths += sequenceLengths[first..<end]
        index.documentIndices.append(Int64(index.sequenceLengths.count))
      } else if let start = run {
        runs.append(start..<pointer)
        run = nil
      }
      pointer += bytes
    }
    if let start = run { runs.append(start..<size) }
    return (index, runs)
  }
}
