// `rmprep verify DIR`: checks every invariant and checksum of a shard directory (TokenShards
// ShardVerifier) and names each problem with its file; exit 1 when anything is wrong.

import CLISupport
import TokenShards

let verifyHelp = """
  OVERVIEW: Check a shard directory: manifest, every file's size and sha256, Megatron index
  invariants, mask pairs, split totals, token ids, and the layout of every sequence.

  USAGE: rmprep verify <dir>

  ARGUMENTS:
    <dir>                   A shard directory written by 'rmprep convert --targets' or 'rmprep shards'.

  OPTIONS:
    -h, --help              Show help information.

  EXIT STATUS: 0 the directory is complete and consistent, 1 problems found (each printed to
  stderr), 64 usage error.

  """

/// Runs `rmprep verify`.
func runVerify(_ arguments: [String]) throws {
  let args = try Arguments(arguments, valued: [])
  if args.flag("help") {
    print(verifyHelp, terminator: "")
    return
  }
  guard args.positionals.count == 1 else { throw UsageError("verify needs exactly one directory") }
  let directory = args.positionals[0]
  let report = ShardVerifier.verify(directory: directory)
  var err = StandardError()
  for problem in report.problems { err.write("rmprep verify: \(problem)\n") }
  guard report.isValid else {
    throw VerifyFailed(directory: directory, count: report.problems.count)
  }
  print(
    "\(directory): ok (\(report.filesChecked) files checksummed, \(report.sequencesChecked) sequences checked)"
  )
}

/// Verification found problems (already printed).
struct VerifyFailed: Error, CustomStringConvertible {
  let directory: String
  let count: Int
  var description: String { "\(directory): \(count) problem\(count == 1 ? "" : "s") found" }
}
