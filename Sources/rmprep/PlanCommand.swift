// `rmprep plan IN... --world-size W --tokenizer T --targets KIND -o plan.json`: the first step of a
// scale-out run (INTEROP.md §5.3). Writes the deterministic plan (TokenShards.ScalePlanner); the
// engine then runs `rmprep shard --rank R` for every R and `rmprep merge` once. The tokenizer is
// loaded (to fail now, not on every rank) on a second thread while the inputs are cut and hashed.

import BPE
import CLISupport
import Corpus
import Dispatch
import TokenShards

/// The largest `--world-size` (a typo guard: the plan lists every rank, about 50 bytes each).
let maxWorldSize = 1_000_000

let planHelp = """
  OVERVIEW: Plan a conversion as W independent ranks ('rmprep shard') and one 'rmprep merge'
  whose output is byte-identical to 'rmprep convert --targets' of the same inputs in sorted order.

  Inputs are sorted by path and their bytes cut into W near-equal ranges at record boundaries
  (plain JSONL; compressed files, JSON arrays and XML go whole to one rank). The plan pins the
  settings below, the tokenizer's sha256, every range's sha256 and the rmprep version.

  USAGE: rmprep plan <input>... --world-size <W> --tokenizer <file> --targets <kind> -o <plan.json>

  OPTIONS:
    --world-size <W>          Number of ranks (a property of the data, e.g. 64; ranks may be empty;
                              at most 1000000)
    --tokenizer <file>        tokenizer.json (or .tiktoken / GPT-2 vocab.json) (required)
    --targets <kind>          seq2seq, pairs, sft or prompts (required)
    -o, --out <file>          The plan to write (required)
    --max-len, --identity-ratio, --val-fraction, --no-dedup, --keep-truncated-targets,
    --format, --prefer, --map, --max-reject-rate
                              As for 'rmprep convert --targets' (see its --help)
    --threads <n>             Threads hashing an input's ranges; with 2 or more the tokenizer is
                              checked beside them (default: 2)
    -h, --help                Show help information.

  EXIT STATUS: 0 success, 1 failure (unreadable input or tokenizer), 64 usage error.

  """

/// Runs `rmprep plan`.
func runPlan(_ arguments: [String]) throws {
  let args = try Arguments(
    arguments,
    valued: [
      "world-size", "tokenizer", "targets", "out", "max-len", "identity-ratio", "val-fraction",
      "format", "prefer", "map", "max-reject-rate", "threads",
    ],
    boolean: ["no-dedup", "keep-truncated-targets"])
  if args.flag("help") {
    print(planHelp, terminator: "")
    return
  }
  let inputs = args.positionals
  guard !inputs.isEmpty else { throw UsageError("plan needs at least one input file") }
  let worldSize: Int = try args.value("world-size", default: 0)
  guard worldSize >= 1 else { throw UsageError("--world-size must be at least 1") }
  guard worldSize <= maxWorldSize else {
    throw UsageError("--world-size must be at most \(maxWorldSize) (got \(worldSize))")
  }
  let config = try targetConfig(args)
  let maxRejectRate: Double = try args.value("max-reject-rate", default: 0.01)
  guard (0...1).contains(maxRejectRate) else {
    throw UsageError("--max-reject-rate must be between 0 and 1")
  }
  var formatOptions: [String: String] = [:]
  if let prefer = args.string("prefer") { formatOptions["prefer"] = prefer }
  if let map = args.string("map") { formatOptions["map"] = map }
  let tokenizerPath = try args.required("tokenizer")
  let output = try args.required("out")
  try DirectoryReplacement.makeParents(of: output)  // as shard and merge do, before any work
  let threads: Int = try args.value("threads", default: 2)
  guard threads >= 1 else { throw UsageError("--threads must be at least 1") }
  // Fail now, not on every rank; a tokenizer error is reported before a planning error.
  let tokenizerCheck = TokenizerCheck(path: tokenizerPath, concurrently: threads > 1)
  let plan: ScalePlan
  do {
    let planned = Result {
      try ScalePlanner.plan(
        inputs: inputs, worldSize: worldSize, config: config,
        format: args.string("format") ?? "auto", formatOptions: formatOptions,
        maxRejectRate: maxRejectRate, tokenizerPath: tokenizerPath, threads: threads)
    }
    try tokenizerCheck.wait()
    plan = try planned.get()
  } catch let error as ShardError {
    if case .invalidConfiguration = error { throw UsageError("\(error)") }
    throw error
  } catch let error as FormatOptionError {
    throw UsageError(error.message)
  }
  try AtomicFile.write(plan.encoded(), to: output)
  let bytes = plan.inputs.reduce(0) { $0 + $1.bytes }
  let whole = plan.inputs.filter { !$0.splittable }.count
  var err = StandardError()
  err.write(
    "rmprep plan: \(output): \(plan.inputs.count) inputs, \(bytes) bytes (\(whole) read whole),"
      + " \(worldSize) ranks (\(plan.ranks.filter(\.isEmpty).count) empty)\n")
}

/// Reads a plan and the sha256 of its bytes.
func loadPlan(_ path: String) throws -> (plan: ScalePlan, sha256: String) {
  let bytes = try FileBytes.read(path)
  return (try ScalePlan.decode(bytes, path: path), SHA256.hash(bytes).hex)
}

/// Loads the plan's tokenizer after checking that its bytes are the ones planned with.
func planTokenizer(_ plan: ScalePlan) throws -> any TargetTokenizer {
  let path = plan.tokenizerResolved
  let digest = SHA256.hash(try FileBytes.read(path)).hex
  guard digest == plan.tokenizerSHA256 else {
    throw ShardError.tokenizerMismatch(
      expected: plan.tokenizerSHA256, found: digest,
      detail: "\(path) changed since rmprep plan; restore it or plan again")
  }
  return try Tokenizer.load(path: path)
}

/// Loads a tokenizer to check it, on another thread when `concurrently` (else at once); `wait`
/// rethrows its error.
final class TokenizerCheck: @unchecked Sendable {
  // Written once by the loading thread before `done` is left, read after waiting on it.
  private var failure: Error?
  private let done = DispatchGroup()

  init(path: String, concurrently: Bool) {
    let load = { @Sendable [self] in
      do { _ = try Tokenizer.load(path: path) } catch { failure = error }
    }
    if concurrently {
      DispatchQueue.global().async(group: done, execute: load)
    } else {
      load()
    }
  }

  /// Waits for the check. - Throws: the tokenizer's load error.
  func wait() throws {
    done.wait()
    if let failure { throw failure }
  }
}
