// `rmprep merge --plan plan.json --in DIR -o OUT`: refuses missing, foreign or corrupt parts, then
// writes the shard directory OUT exactly as one `rmprep convert --targets` of the planned inputs
// would (TokenShards.PartMerger: Megatron `add_index` concatenation in rank order, summed
// accounting, cross-rank de-duplication by replaying the parts' record ledgers).

import CLISupport
import Corpus
import TokenShards

let mergeHelp = """
  OVERVIEW: Merge the W parts of a plan into one shard directory, byte-identical to
  'rmprep convert --targets' of the same inputs (in sorted order) with the same settings.

  USAGE: rmprep merge --plan <plan.json> --in <dir> -o <out-dir>

  OPTIONS:
    --plan <file>           The plan (required)
    --in <dir>              The directory the ranks wrote (required)
    -o, --out <dir>         The shard directory to write (required)
    --threads <n>           Threads: 2 or more replays the ranks' records.ledger at once and
                            checks each part's sha256 while copying it; also the tokenization
                            threads when a part has no records.ledger and must be converted
                            again to drop duplicates of earlier ranks (default: 2)
    -h, --help              Show help information.

  EXIT STATUS: 0 success, 1 failure (a part missing, from another plan or corrupt — named; reject
  rate above the plan's limit; write error; no manifest is written), 64 usage error.

  """

/// Runs `rmprep merge`.
func runMerge(_ arguments: [String]) throws {
  let args = try Arguments(arguments, valued: ["plan", "in", "out", "threads"])
  if args.flag("help") {
    print(mergeHelp, terminator: "")
    return
  }
  guard args.positionals.isEmpty else {
    throw UsageError("unexpected argument '\(args.positionals[0])'")
  }
  let planPath = try args.required("plan")
  let input = try args.required("in")
  let output = try args.required("out")
  let threads: Int = try args.value("threads", default: 2)
  guard threads >= 1 else { throw UsageError("--threads must be at least 1") }
  let (plan, sha) = try loadPlan(planPath)
  let started = Progress.now()
  let report: MergeReport
  do {
    report = try PartMerger.merge(
      plan: plan, planSHA256: sha, partsDirectory: input, output: output, threads: threads,
      loadTokenizer: { try planTokenizer(plan) }, shouldStop: { Cancellation.isRequested })
  } catch is PipelineStopped {
    throw Interrupted()
  }
  let stats = report.stats
  let again =
    report.ranksWithEarlierDuplicates.isEmpty
    ? ""
    : "; duplicates of earlier ranks dropped from ranks "
      + report.ranksWithEarlierDuplicates.map(String.init).joined(separator: ", ")
  var err = StandardError()
  err.write(
    "rmprep merge: \(output): \(plan.worldSize) parts; \(report.upstream.summary); targets: in "
      + "\(stats.recordsIn), converted \(stats.recordsConverted) (train "
      + "\(stats.recordsBySplit[.train] ?? 0), val \(stats.recordsBySplit[.val] ?? 0)), dropped "
      + "\(stats.droppedTotal)\(again); \(formatted(Progress.now() - started)) s\n")
}
