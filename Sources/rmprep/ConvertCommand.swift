// `rmprep convert`: corpora → normalized records (JSONL), with every input record accounted for.
// The loop itself is `Corpus.RecordPipeline`; this file parses options, opens the outputs (atomic,
// compressed by name), prints the one-line summary, and maps the reject rate to the exit status.
// `--tokenizer/--targets` (token shards) are added by the shards stage on top of the same pipeline.

import CLISupport
import Corpus

#if canImport(Glibc)
import Glibc
#endif

let convertHelp = """
  OVERVIEW: Convert preference corpora to normalized records (Schemas/record.schema.json).

  Every input record is written, dropped with a named reason, or rejected with its error and
  location; `in = written + dropped + rejected` is printed to stderr. Containers (plain, gzip,
  zstd) are detected from magic bytes; JSONL and JSON-array files are both read.

  USAGE: rmprep convert <input>... [--format <name>] [-o <file>] [options]

  ARGUMENTS:
    <input>                 Corpus files; '-' reads standard input.

  OPTIONS:
    --format <name>         auto, \(FormatRegistry.standard.names.joined(separator: ", ")) (default: auto)
    --prefer <axis>         pku-saferlhf: better or safer (default: better)
    --map <spec>            generic: prompt=PATH,chosen=PATH,rejected=PATH (dotted JSON paths)
    --max-pairs-per-question <n>
                            stackexchange: keep the n best pairs of each question (default: all)
    --min-score-gap <g>     stackexchange: minimum pm_score difference of a pair (default: 1)
    --xml-recover           stackexchange: skip rows that are not well-formed XML (counted as
                            rejected malformed-xml) instead of failing
    --xml-memory-limit <mib>
                            stackexchange: post text kept in memory before spilling to a temp
                            file (default: 256)
    --site <name>           stackexchange: site name in meta (default: the input's directory)
    -o, --out <file>        Output: .jsonl, .jsonl.gz or .jsonl.zst by name; '-' is stdout (default: -)
    --rejects <file>        Keep rejected raw records with their reason, as JSONL
    --stats <file>          Write counts by outcome and reason, bytes and timing as JSON
    --max-reject-rate <r>   Fail (exit 1, no output) when rejected/in exceeds r (default: 0.01)
    --skip <n>              Skip the first n input records (debugging) (default: 0)
    --limit <n>             Read at most n input records (debugging)
    --progress              Show progress even when stderr is not a terminal
    --targets <kind>        Token shards instead: see 'rmprep convert --targets seq2seq --help'
    -h, --help              Show help information.

  EXIT STATUS: 0 success, 1 failure (unreadable input, reject rate exceeded), 64 usage error,
  130 interrupted.

  """

/// The options of `rmprep convert` without `--targets` (valued, then flags).
let convertOptions: (valued: Set<String>, boolean: Set<String>) = (
  [
    "format", "prefer", "map", "out", "rejects", "stats", "max-reject-rate", "skip", "limit",
    "max-pairs-per-question", "min-score-gap", "xml-memory-limit", "site",
  ],
  ["progress", "xml-recover"]
)

/// Runs `rmprep convert`.
func runConvert(_ arguments: [String]) throws {
  if wantsTargets(arguments) { return try runConvertTargets(arguments) }  // ConvertTargets.swift
  // Token-shard options without --targets: say so, rather than "unknown option".
  let shardOnly = convertTargetsOptions.valued.union(convertTargetsOptions.boolean)
    .subtracting(convertOptions.valued).subtracting(convertOptions.boolean)
  for argument in arguments.prefix(while: { $0 != "--" }) where argument.hasPrefix("--") {
    let name = String(argument.dropFirst(2).prefix { $0 != "=" })
    if shardOnly.contains(name) {
      throw UsageError(
        "'--\(name)' applies to token shards only: add --targets KIND (seq2seq, pairs, sft or "
          + "prompts), or drop it")
    }
  }
  let args = try Arguments(
    arguments, valued: convertOptions.valued, boolean: convertOptions.boolean)
  if args.flag("help") {
    print(convertHelp, terminator: "")
    return
  }
  let inputs = args.positionals
  guard !inputs.isEmpty else {
    throw UsageError("convert needs at least one input ('-' for stdin)")
  }
  var options = PipelineOptions()
  options.format = args.string("format") ?? "auto"
  var formatValues: [String: String] = [:]
  if let prefer = args.string("prefer") { formatValues["prefer"] = prefer }
  if let map = args.string("map") { formatValues["map"] = map }
  for key in ["max-pairs-per-question", "min-score-gap", "xml-memory-limit", "site"] {
    if let value = args.string(key) { formatValues[key] = value }
  }
  if args.flag("xml-recover") { formatValues["xml-recover"] = "true" }
  options.formatOptions = FormatOptions(formatValues)
  options.skip = try args.value("skip", default: 0)
  options.limit = try args.optionalValue("limit")
  let maxRejectRate: Double = try args.value("max-reject-rate", default: 0.01)
  guard maxRejectRate >= 0 && maxRejectRate <= 1 else {
    throw UsageError("--max-reject-rate must be between 0 and 1")
  }
  let pipeline: RecordPipeline
  do {
    pipeline = try RecordPipeline(options: options)
  } catch let error as FormatOptionError {
    throw UsageError(error.message)
  }
  try convertRecords(
    pipeline: pipeline, inputs: inputs, output: args.string("out") ?? "-",
    rejectsPath: args.string("rejects"), statsPath: args.string("stats"),
    maxRejectRate: maxRejectRate, progressForced: args.flag("progress"))
}

/// The conversion proper: pipeline → output, rejects and stats files, summary, exit policy.
private func convertRecords(
  pipeline: RecordPipeline, inputs: [String], output: String, rejectsPath: String?,
  statsPath: String?, maxRejectRate: Double, progressForced: Bool
) throws {
  for (flag, path) in [("-o", output), ("--rejects", rejectsPath), ("--stats", statsPath)] {
    if let path, let input = inputs.first(where: { sameFile($0, path) }) {
      throw UsageError(
        "\(flag) \(path) is the input \(input): it would be replaced; write elsewhere")
    }
  }
  let started = Progress.now()
  let progress = Progress(enabled: Progress.shouldShow(forced: progressForced))
  let sink = try RecordOutput.open(path: output)
  let rejects = try rejectsPath.map { try RecordOutput.open(path: $0) }
  pipeline.shouldStop = { Cancellation.isRequested }
  var firstReject: RejectedRecord?
  pipeline.onReject = { rejected in
    if firstReject == nil { firstReject = rejected }
    try rejects?.write(rejected.jsonLine)
  }
  do {
    try pipeline.runWritingLines(inputs: inputs) { line in
      try sink.write(line)
      progress.update { "convert: \(pipeline.accounting.read) records" }
    }
  } catch {
    sink.discard()
    rejects?.discard()
    progress.finish()
    if error is PipelineStopped { throw Interrupted() }
    if case CorpusError.writeFailed(let path, let code) = error, path == "<stdout>", code == EPIPE {
      throw OutputClosed()
    }
    throw error
  }
  progress.finish()
  if Cancellation.isRequested {  // Ctrl-C while the last read was blocked: still no output
    sink.discard()
    rejects?.discard()
    throw Interrupted()
  }
  let totals = pipeline.accounting
  guard totals.isBalanced else {
    sink.discard()
    throw CorpusError.malformedRecord(
      InputLocation(path: inputs.joined(separator: ",")),
      detail: "internal accounting error: \(totals.summary) (please report this)")
  }
  let seconds = Progress.now() - started
  if let statsPath {
    let stats = totals.statsJSON(inputs: inputs, format: pipeline.options.format, seconds: seconds)
    try AtomicFile.write(Array(JSONWriter.prettyString(stats).utf8), to: statsPath)
  }
  try rejects?.finish()
  var err = StandardError()
  let megabytes = Double(totals.decodedBytes) / 1e6
  err.write(
    "rmprep convert: \(totals.summary); \(formatted(megabytes)) MB in \(formatted(seconds)) s\n")
  if totals.read == 0 { err.write("rmprep convert: warning: no records in the input\n") }
  if totals.rejectRate > maxRejectRate {
    sink.discard()
    throw RejectRateExceeded(
      rate: totals.rejectRate, limit: maxRejectRate, rejects: rejectsPath, first: firstReject)
  }
  do {
    try sink.finish()
  } catch CorpusError.writeFailed(let path, let code) where path == "<stdout>" && code == EPIPE {
    throw OutputClosed()
  }
}

/// More rejected records than `--max-reject-rate` allows (exit 1; the output is not written).
struct RejectRateExceeded: Error, CustomStringConvertible {
  let rate: Double
  let limit: Double
  let rejects: String?
  /// The first rejected record, named in the message.
  let first: RejectedRecord?
  /// Whether the command has `--rejects` (else the hint points to `rmprep convert --rejects`).
  var hasRejectsOption = true
  var description: String {
    let rerun =
      hasRejectsOption ? "re-run" : "run 'rmprep convert' on the input"
    let hint = rejects.map { "see \($0)" } ?? "\(rerun) with --rejects FILE to see them all"
    let example = first.map { "; first: \($0.message) [\($0.reason.rawValue)]" } ?? ""
    return
      "reject rate \(formatted(rate * 100))% exceeds --max-reject-rate \(formatted(limit * 100))%"
      + "\(example); no output was written; \(hint)"
  }
}

/// Whether two paths name the same existing file (same device and inode); `-` is never a file.
func sameFile(_ a: String, _ b: String) -> Bool {
  guard a != "-", b != "-" else { return false }
  var x = stat()
  var y = stat()
  guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
  return x.st_dev == y.st_dev && x.st_ino == y.st_ino
}

/// A number with at most 2 decimals, without Foundation.
func formatted(_ value: Double) -> String {
  let hundredths = (value * 100).rounded()
  let whole = Int(hundredths / 100)
  let fraction = Int(abs(hundredths.truncatingRemainder(dividingBy: 100)))
  return fraction == 0 ? "\(whole)" : "\(whole)." + (fraction < 10 ? "0\(fraction)" : "\(fraction)")
}
