// rmprep: raw preference corpora → normalized records → tokenizer → sequence-MLE targets (shards or a
// stream on stdout). Each subcommand lives in its own <Name>Command.swift; this file is only the table.

import CLISupport
import Corpus

Tool(
  name: "rmprep",
  version: ToolkitVersion.string,
  overview: "Stream preference corpora into normalized records, tokenizers and token shards.",
  subcommands: [
    Subcommand(
      "convert", "Convert corpora to normalized records, or to token shards with --targets.",
      run: runConvert),
    Subcommand("validate", "Check JSON/JSONL files against our JSON Schemas.", run: runValidate),
    Subcommand(
      "tokenizer", "Train, encode and decode with the byte-level BPE tokenizer.", run: runTokenizer),
    Subcommand("verify", "Check a shard directory's invariants and checksums.", run: runVerify),
    Subcommand(
      "inspect", "Show decoded examples and length statistics of a shard directory.",
      run: runInspect),
    Subcommand("shards", "Turn an rmprep stream into a shard directory.", run: runShards),
    Subcommand(
      "plan", "Plan a conversion as W ranks for a cluster (then shard, merge).", run: runPlan),
    Subcommand("shard", "Convert one rank of a plan.", run: runShard),
    Subcommand("merge", "Merge a plan's parts into one shard directory.", run: runMerge),
    Subcommand(
      "synth", "Generate the embedded synthetic alignment task as a preference corpus.",
      run: runSynth),
  ]
).main()
