// The names a shard directory's Megatron files take (DESIGN.md "Shard directory"): `train`/`val`,
// optionally `-NNNNN` when `--shard-tokens` rolls, optionally `_mask`, then `.bin` or `.idx`. A run
// removes such files that it did not write (an earlier run with another `--shard-tokens` leaves
// `train-00003.*` behind), and `verify` reports any that the manifest does not list.

/// Recognizes shard file names.
enum ShardFileNames {
  /// True for `train.bin`, `val_mask.idx`, `train-00012.bin`, `val-00000_mask.idx`, …
  static func isShardFile(_ name: String) -> Bool {
    var rest = Substring(name)
    guard let split = ["train", "val"].first(where: { rest.hasPrefix($0) }) else { return false }
    rest = rest.dropFirst(split.count)
    if rest.first == "-" {
      let digits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
      guard digits.count == 5 else { return false }
      rest = rest.dropFirst(6)
    }
    if rest.hasPrefix("_mask") { rest = rest.dropFirst(5) }
    return rest == ".bin" || rest == ".idx"
  }
}
