// `rmprep inspect DIR`: examples decoded for humans, with special tokens shown as their strings and
// the loss-mask spans marked ⟦…⟧; `--lengths` prints token-length percentiles of prompts and
// responses (from the manifest) and of the stored sequences, to help choose --max-len.

import BPE
import CLISupport
import Corpus
import TokenShards

let inspectHelp = """
  OVERVIEW: Show a shard directory for humans: header, counts, and decoded examples with the
  special tokens visible and the loss-mask (label) spans marked ⟦…⟧.

  USAGE: rmprep inspect <dir> [--split train|val] [--limit <n>] [--lengths]

  ARGUMENTS:
    <dir>                   A shard directory.

  OPTIONS:
    --split <name>          train or val (default: train)
    --limit <n>             Documents to show (default: 3)
    --lengths               Print token-length percentiles instead of examples
    -h, --help              Show help information.

  EXIT STATUS: 0 success, 1 failure (invalid directory), 64 usage error.

  """

/// Runs `rmprep inspect`.
func runInspect(_ arguments: [String]) throws {
  let args = try Arguments(arguments, valued: ["split", "limit"], boolean: ["lengths"])
  if args.flag("help") {
    print(inspectHelp, terminator: "")
    return
  }
  guard args.positionals.count == 1 else { throw UsageError("inspect needs exactly one directory") }
  let split = Split(rawValue: try args.choice("split", in: ["train", "val"], default: "train"))!
  let limit: Int = try args.value("limit", default: 3)
  let data = try ShardDataset.open(directory: args.positionals[0])
  let m = data.manifest
  let ids = zip(SpecialIDs.names, m.specialIDs.ordered).map { "\($0.0)=\($0.1)" }
  print("kind: \(m.targetKind.rawValue)  dtype: \(m.dtype.name)  vocab: \(m.vocabularySize)")
  print("tokenizer: \(m.tokenizerSHA256)  special ids: \(ids.joined(separator: " "))")
  for s in Split.allCases {
    let summary = m.splits[s] ?? SplitSummary()
    print(
      "\(s.rawValue): \(summary.records) records, \(summary.documents) documents, "
        + "\(summary.sequences) sequences, \(summary.tokens) tokens, \(summary.labelTokens) label tokens"
    )
  }
  if args.flag("lengths") {
    var stored = LengthHistogram()
    try data.forEachDocument(split: split) { document in
      for sequence in document { stored.add(sequence.count) }
      return true
    }
    printLengths(manifest: m, stored: stored, split: split)
    return
  }
  guard limit > 0 else { return }
  let tokenizer = try Tokenizer.load(path: data.tokenizerPath)
  var k = 0
  try data.forEachDocument(split: split) { document in
    print(
      "\n--- \(split.rawValue) document \(k) (\(document.count) sequence\(document.count == 1 ? "" : "s"))"
    )
    for sequence in document {
      print("[\(sequence.count) tokens] " + render(sequence, tokenizer: tokenizer))
    }
    k += 1
    return k < limit
  }
}

/// Decoded text with label spans in ⟦…⟧ (decoded per span, so characters are never split mid-way
/// except where a span boundary itself splits one).
private func render(_ sequence: TokenSequence, tokenizer: Tokenizer) -> String {
  var out = ""
  var start = 0
  while start < sequence.count {
    var end = start
    while end < sequence.count && sequence.mask[end] == sequence.mask[start] { end += 1 }
    let text = tokenizer.decode(Array(sequence.tokens[start..<end]))
    out += sequence.mask[start] == 1 ? "⟦" + text + "⟧" : text
    start = end
  }
  return out
}

private func printLengths(manifest: ShardManifest, stored: LengthHistogram, split: Split) {
  print("\ntoken lengths before truncation (all records):")
  for field in ["prompt", "chosen", "rejected"] {
    guard let h = manifest.summary.lengths[field], let count = h["count"]?.intValue, count > 0
    else { continue }
    let cells = ["p50", "p90", "p95", "p99", "max"].map { "\($0) \(h[$0]?.intValue ?? 0)" }
    print(
      "  \(field): n \(count), mean \(h["mean"]?.numberText ?? "0"), "
        + cells.joined(separator: ", "))
  }
  let cells = [50.0, 90, 95, 99].map { "p\(Int($0)) \(stored.percentile($0))" }
  print(
    "stored \(split.rawValue) sequences: n \(stored.count), " + cells.joined(separator: ", ")
      + ", max \(stored.maximum)")
  if let cut = manifest.summary.accounting["truncation"] {
    print(
      "truncation: "
        + (cut.objectValue ?? []).map { "\($0.key) \($0.value.intValue ?? 0)" }.joined(
          separator: ", "))
  }
}
