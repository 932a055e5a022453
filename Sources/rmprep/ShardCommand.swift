// `rmprep shard --plan plan.json --rank R -o DIR`: converts exactly rank R's byte ranges into
// DIR/part-RRRRR-of-WWWWW/ and writes DIR/part-RRRRR-of-WWWWW.manifest.json last
// (TokenShards.RankRunner). The rank comes from --rank, else SLURM_ARRAY_TASK_ID, else
// JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs). A finished rank verifies and exits 0.

import CLISupport
import Corpus
import TokenShards

#if canImport(Glibc)
import Glibc
#endif

let shardHelp = """
  OVERVIEW: Convert one rank of a plan ('rmprep plan') into DIR. Safe to retry, to run twice at
  once and to re-run: a rank whose manifest exists and verifies is not converted again.

  USAGE: rmprep shard --plan <plan.json> [--rank <R>] -o <dir>

  OPTIONS:
    --plan <file>           The plan (required)
    --rank <R>              0 ≤ R < W (default: $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX)
    -o, --out <dir>         Directory of the parts, shared by all ranks (required)
    --threads <n>           Tokenization threads (default: 2)
    -h, --help              Show help information.

  EXIT STATUS: 0 success (or already done), 1 failure (input changed since planning, unreadable
  input, write error; nothing that counts as done is left), 64 usage error, 130 interrupted.

  """

/// Runs `rmprep shard`.
func runShard(_ arguments: [String]) throws {
  let args = try Arguments(arguments, valued: ["plan", "rank", "out", "threads"])
  if args.flag("help") {
    print(shardHelp, terminator: "")
    return
  }
  guard args.positionals.isEmpty else {
    throw UsageError("unexpected argument '\(args.positionals[0])'")
  }
  let planPath = try args.required("plan")
  let output = try args.required("out")
  let threads: Int = try args.value("threads", default: 2)
  guard threads >= 1 else { throw UsageError("--threads must be at least 1") }
  let rank = try shardRank(args.string("rank"))
  let (plan, sha) = try loadPlan(planPath)
  guard rank < plan.worldSize else {
    throw UsageError("rank \(rank) is outside 0..<\(plan.worldSize) (the plan's --world-size)")
  }
  let started = Progress.now()
  let result: (manifest: RankManifest, alreadyDone: Bool)
  do {
    result = try RankRunner.run(
      plan: plan, planSHA256: sha, rank: rank, partsDirectory: output, threads: threads,
      loadTokenizer: { try planTokenizer(plan) }, shouldStop: { Cancellation.isRequested })
  } catch is PipelineStopped {
    throw Interrupted()
  }
  let outcome = result.manifest.outcome
  var err = StandardError()
  let name = plan.partName(rank: rank)
  if result.alreadyDone {
    err.write("rmprep shard: \(output)/\(name) is already done and verifies; nothing to do\n")
  } else {
    err.write(
      "rmprep shard: \(output)/\(name): \(outcome.upstream.summary); converted "
        + "\(outcome.stats.recordsConverted), dropped \(outcome.stats.droppedTotal); "
        + "\(formatted(Progress.now() - started)) s\n")
  }
}

/// The rank from `--rank`, else the engine's environment.
func shardRank(_ flag: String?) throws -> Int {
  var sources: [(String, String?)] = [("--rank", flag)]
  for name in ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"] {
    sources.append((name, getenv(name).map { String(cString: $0) }))
  }
  for (name, value) in sources {
    guard let value else { continue }
    guard let rank = Int(value), rank >= 0 else {
      throw UsageError("\(name) is '\(value)', expected a rank ≥ 0")
    }
    return rank
  }
  throw UsageError(
    "no rank: pass --rank R or run under Slurm (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job"
      + " (JOB_COMPLETION_INDEX)")
}
