// `rmprep shards --from-stream - -o DIR`: turns the framed stream of `rmprep convert … -o -` into a
// shard directory through the same writer as `convert -o DIR`, so the two give the same bytes. The
// manifest is written only after the trailer's counts and checksum match.

import BPE
import CLISupport
import Corpus
import TokenShards

#if canImport(Glibc)
import Glibc
#endif

let shardsHelp = """
  OVERVIEW: Turn an rmprep stream ('rmprep convert … -o -') into a shard directory.
  'rmprep convert … -o - | rmprep shards --from-stream - -o DIR' equals 'rmprep convert … -o DIR'.

  USAGE: rmprep shards --from-stream <file|-> -o <dir> [--tokenizer <file>]

  OPTIONS:
    --from-stream <file|->  The stream; '-' reads standard input (required)
    -o, --out <dir>         The shard directory to write (required)
    --tokenizer <file>      Refuse a stream made with another tokenizer
    -h, --help              Show help information.

  EXIT STATUS: 0 success, 1 failure (truncated or corrupt stream, tokenizer mismatch, write error;
  no manifest is written), 64 usage error.

  """

/// Runs `rmprep shards`.
func runShards(_ arguments: [String]) throws {
  let args = try Arguments(arguments, valued: ["from-stream", "out", "tokenizer"])
  if args.flag("help") {
    print(shardsHelp, terminator: "")
    return
  }
  guard args.positionals.isEmpty else {
    throw UsageError("unexpected argument '\(args.positionals[0])'")
  }
  let input = try args.required("from-stream")
  let output = try args.required("out")
  let expected = try args.string("tokenizer").map { try Tokenizer.load(path: $0).fileSHA256 }
  let fd = input == "-" ? STDIN_FILENO : open(input, O_RDONLY | O_CLOEXEC)
  if fd < 0 { throw CorpusError.cannotOpen(path: input, errno: errno) }
  defer { if fd != STDIN_FILENO { close(fd) } }
  let m = try writeStream(from: fd, expectedTokenizerSHA256: expected, into: output)
  var err = StandardError()
  err.write(
    "rmprep shards: \(output): \(m.targetKind.rawValue), train \(m.splits[.train]?.records ?? 0) "
      + "records / \(m.splits[.train]?.tokens ?? 0) tokens, val \(m.splits[.val]?.records ?? 0) "
      + "records / \(m.splits[.val]?.tokens ?? 0) tokens\n")
}
