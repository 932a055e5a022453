// `rmprep convert … --tokenizer T --targets KIND -o DIR|-`: the ingest loop (Corpus.RecordPipeline,
// which accounts for every input record) feeding TokenShards.TargetPipeline in batches, into a shard
// directory or the framed stream on stdout. ConvertCommand.swift hands over here when --targets is
// given. Record accounting reconciles: ingest `written` = target `records_in` = converted + drops.

import BPE
import CLISupport
import Corpus
import TokenShards

#if canImport(Glibc)
import Glibc
#endif

let convertTargetsHelp = """
  OVERVIEW: Convert preference corpora to sequence-MLE training targets: Megatron token shards
  (a directory) or the framed stream on stdout ('-o -', for 'rmprep … | rmtrain …').

  Layouts (DESIGN.md): seq2seq = correction [BOS] x [SEP_RESP] y_l [SEP_CORR] y_w [EOS] and
  identity [BOS] x [SEP_RESP] y_w [SEP_CORR] y_w [EOS], one document each, loss on y_w and EOS;
  pairs = [BOS] x [SEP_RESP] y_w [EOS] and the same with y_l as one document, mask at the scoring
  position; sft = [BOS] x [SEP_RESP] y_w [EOS]; prompts = [BOS] x [SEP_RESP]. Prompt and responses
  are tokenized separately. --max-len cuts the prompt from the left, then the input response from
  the right, then the target from the right; every cut is counted in manifest.json. The split is
  by record id hash (the same for every kind); duplicates (same id) are dropped after the first.

  USAGE: rmprep convert <input>... --tokenizer <file> --targets <kind> -o <dir|-> [options]

  ARGUMENTS:
    <input>                   Corpus files; '-' reads standard input.

  OPTIONS:
    --tokenizer <file>        tokenizer.json (or .tiktoken / GPT-2 vocab.json) (required)
    --targets <kind>          seq2seq, pairs, sft or prompts (required)
    -o, --out <dir|->         Shard directory, or '-' for the framed stream on stdout (required)
    --max-len <n>             Longest sequence in tokens, specials included (default: no limit)
    --identity-ratio <r>      seq2seq: fraction of pairs that also get an identity example (default: 1)
    --val-fraction <f>        Fraction of records in the validation split (default: 0.05)
    --no-dedup                Keep exact-duplicate records (default: drop them; memory ~20 bytes per record)
    --keep-truncated-targets  Keep examples whose target lost its EOS to --max-len (default: drop)
    --shard-tokens <n>        Roll to a new shard after n tokens per split (default: 0 = one shard)
    --threads <n>             Tokenization threads (default: 2)
    --format <name>           Input format, as for 'rmprep convert' (default: auto)
    --prefer <axis>           pku-saferlhf: better or safer (default: better)
    --map <spec>              generic: prompt=PATH,chosen=PATH,rejected=PATH
    --rejects <file>          Keep rejected raw records with their reason, as JSONL
    --max-reject-rate <r>     Fail (exit 1, no output) when rejected/in exceeds r (default: 0.01)
    --skip <n>                Skip the first n input records (debugging) (default: 0)
    --limit <n>               Read at most n input records (debugging)
    --progress                Show progress even when stderr is not a terminal
    -h, --help                Show help information.

  EXIT STATUS: 0 success, 1 failure (unreadable input, reject rate exceeded, write error),
  64 usage error, 130 interrupted (no shard directory or stream that looks complete is left).

  """

/// True when `rmprep convert` was asked for training targets.
func wantsTargets(_ arguments: [String]) -> Bool {
  arguments.contains { $0 == "--targets" || $0.hasPrefix("--targets=") }
}

/// The target settings from `--targets`, `--max-len`, … (shared with `rmprep plan`).
func targetConfig(_ args: Arguments) throws -> TargetConfig {
  let kindName = try args.choice(
    "targets", in: TargetKind.allCases.map(\.rawValue), default: "seq2seq")
  var config = TargetConfig(kind: TargetKind(rawValue: kindName)!)
  config.maxLength = try args.optionalValue("max-len")
  config.identityRatio = try args.value("identity-ratio", default: 1.0)
  config.validationFraction = try args.value("val-fraction", default: 0.05)
  config.deduplicate = !args.flag("no-dedup")
  config.keepTruncatedTargets = args.flag("keep-truncated-targets")
  config.shardTokens = try args.value("shard-tokens", default: 0)
  do { try config.validate() } catch let error as ShardError { throw UsageError("\(error)") }
  return config
}

/// The options of `rmprep convert … --targets KIND` (valued, then flags).
let convertTargetsOptions: (valued: Set<String>, boolean: Set<String>) = (
  [
    "format", "prefer", "map", "out", "rejects", "max-reject-rate", "skip", "limit", "tokenizer",
    "targets", "max-len", "identity-ratio", "val-fraction", "shard-tokens", "threads",
  ],
  ["progress", "no-dedup", "dedup", "keep-truncated-targets"]
)

/// Runs `rmprep convert … --targets KIND`.
func runConvertTargets(_ arguments: [String]) throws {
  let args = try Arguments(
    arguments, valued: convertTargetsOptions.valued, boolean: convertTargetsOptions.boolean)
  if args.flag("help") {
    print(convertTargetsHelp, terminator: "")
    return
  }
  let inputs = args.positionals
  guard !inputs.isEmpty else {
    throw UsageError("convert needs at least one input ('-' for stdin)")
  }
  let config = try targetConfig(args)
  let tokenizerPath = try args.required("tokenizer")
  let output = try args.required("out")
  let threads: Int = try args.value("threads", default: 2)
  guard threads >= 1 else { throw UsageError("--threads must be at least 1") }
  let maxRejectRate: Double = try args.value("max-reject-rate", default: 0.01)
  guard (0...1).contains(maxRejectRate) else {
    throw UsageError("--max-reject-rate must be between 0 and 1")
  }
  var options = PipelineOptions()
  options.format = args.string("format") ?? "auto"
  var formatValues: [String: String] = [:]
  if let prefer = args.string("prefer") { formatValues["prefer"] = prefer }
  if let map = args.string("map") { formatValues["map"] = map }
  options.formatOptions = FormatOptions(formatValues)
  options.skip = try args.value("skip", default: 0)
  options.limit = try args.optionalValue("limit")
  let records: RecordPipeline
  do { records = try RecordPipeline(options: options) } catch let error as FormatOptionError {
    throw UsageError(error.message)
  }
  let tokenizer = try Tokenizer.load(path: tokenizerPath)
  let targets = try TargetPipeline(tokenizer: tokenizer, config: config, threads: threads)
  try convertToTargets(
    records: records, targets: targets, inputs: inputs, output: output,
    rejectsPath: args.string("rejects"), maxRejectRate: maxRejectRate,
    progressForced: args.flag("progress"))
}

/// The loop: records in batches of 2,048 → targets → sink; then accounting, summary, finish.
private func convertToTargets(
  records: RecordPipeline, targets: TargetPipeline, inputs: [String], output: String,
  rejectsPath: String?, maxRejectRate: Double, progressForced: Bool
) throws {
  let started = Progress.now()
  let progress = Progress(enabled: Progress.shouldShow(forced: progressForced))
  let header = ShardHeader(config: targets.builder.config, tokenizer: targets.tokenizer)
  let sink: TargetSink =
    output == "-"
    ? try ShardStreamWriter(output: DescriptorSink(), header: header)
    : try ShardDirectoryWriter(directory: output, header: header)
  let rejects = try rejectsPath.map { try RecordOutput.open(path: $0) }
  records.shouldStop = { Cancellation.isRequested }
  var firstReject: RejectedRecord?
  records.onReject = { rejected in
    if firstReject == nil { firstReject = rejected }
    try rejects?.write(rejected.jsonLine)
  }
  var batch: [PreferenceRecord] = []
  batch.reserveCapacity(2048)
  do {
    try records.run(inputs: inputs) { record in
      batch.append(record)
      if batch.count == 2048 {
        try targets.process(batch, into: sink)
        batch.removeAll(keepingCapacity: true)
        progress.update { "convert: \(records.accounting.read) records" }
      }
      return .written
    }
    try targets.process(batch, into: sink)
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
  if Cancellation.isRequested {  // Ctrl-C while the last read was blocked: the old output stays
    sink.discard()
    rejects?.discard()
    throw Interrupted()
  }
  let totals = records.accounting
  let stats = targets.stats
  guard totals.isBalanced, stats.recordsIn == totals.written,
    stats.recordsIn == stats.recordsConverted + stats.droppedTotal
  else {
    sink.discard()
    throw CorpusError.malformedRecord(
      InputLocation(path: inputs.joined(separator: ",")),
      detail: "internal accounting error: \(totals.summary) (please report this)")
  }
  if totals.rejectRate > maxRejectRate {
    sink.discard()
    throw RejectRateExceeded(
      rate: totals.rejectRate, limit: maxRejectRate, rejects: rejectsPath, first: firstReject)
  }
  try rejects?.finish()
  // Upstream accounting without timing, so re-runs give the same manifest bytes.
  var upstream = totals.statsJSON(inputs: inputs, format: records.options.format, seconds: 0)
  if case .object(let members) = upstream {
    upstream = .object(members.filter { $0.key != "timing" })
  }
  do {
    try sink.finish(summary: targets.summary(upstream: upstream))
  } catch CorpusError.writeFailed(let path, let code) where path == "<stdout>" && code == EPIPE {
    throw OutputClosed()
  }
  let seconds = Progress.now() - started
  let examples = stats.examples.keys.sorted().map { "\($0) \(stats.examples[$0]!)" }
  let drops = TargetDropReason.allCases.compactMap { reason in
    stats.dropped[reason].map { "\(reason.rawValue) \($0)" }
  }
  var err = StandardError()
  err.write(
    "rmprep convert: \(totals.summary); targets: in \(stats.recordsIn), converted "
      + "\(stats.recordsConverted) (train \(stats.recordsBySplit[.train] ?? 0), val "
      + "\(stats.recordsBySplit[.val] ?? 0)), dropped \(stats.droppedTotal)"
      + (drops.isEmpty ? "" : " (\(drops.joined(separator: ", ")))")
      + "; examples: \(examples.joined(separator: ", ")); \(formatted(seconds)) s\n")
}
