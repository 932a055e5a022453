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
    guard bin.count == binSize else {
      throw ShardError.badHeader(
        path: path + ".bin", expected: "\(binSize) bytes (from its .idx)", found: "\(bin.count)")
    }
    guard keep.count == documentCount else {
      throw ShardError.badHeader(
        path: path + ".idx", expected: "\(keep.count) documents", found: "\(documentCount)")
    }
    let pointers = sequencePointers.map(Int.init) + [bin.count]
    var index = MegatronIndex(dtype: dtype)
    var out: [UInt8] = []
    var run: Int?  // first byte of the current run of kept documents
    for d in 0..<documentCount {
      let (first, end) = (Int(documentIndices[d]), Int(documentIndices[d + 1]))
      if keep[d] {
        if run == nil { run = pointers[first] }
        index.sequenceLengths += sequenceLengths[first..<end]
        index.documentIndices.append(Int64(index.sequenceLengths.count))
      } else if let start = run {
        out += bin[start..<pointers[first]]
        run = nil
      }
    }
    if let start = run { out += bin[start...] }
    return (index, out)
  }
}
