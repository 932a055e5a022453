// `rmprep tokenizer train|encode|decode`: the byte-level BPE stage (module BPE does the work).

import BPE
import CLISupport
import Corpus
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

let tokenizerHelp = """
  OVERVIEW: Train, encode and decode with the built-in byte-level BPE tokenizer.

  USAGE: rmprep tokenizer train <input>... --vocab-size <n> -o <tokenizer.json> [options]
         rmprep tokenizer encode --tokenizer <file> [<input>...] [--string <text>]
         rmprep tokenizer decode --tokenizer <file> [<input>...] [--ids <ids>]

  train trains on the prompt, chosen and rejected text of every record (any input format of
  'rmprep convert'), or with --text on raw text lines (each line with its ending, as Hugging
  Face's trainer reads files; invalid UTF-8 bytes become one-byte words). The special
  tokens <|pad|> <|bos|> <|eos|> <|sep_resp|> <|sep_corr|> get ids 0-4, then the 256 byte
  tokens, then the merges. Ties between equally frequent pairs go to the smallest
  (left id, right id): the result is the same for any thread count or input order.
  encode prints one line of space-separated ids per input line (or for --string); decode reads
  lines of space-separated ids and prints the text of each line.

  ARGUMENTS:
    <input>                 Corpus or text files; '-' reads standard input.

  OPTIONS:
    --vocab-size <n>        train: vocabulary size including specials and bytes (required)
    --min-frequency <k>     train: never merge a pair seen fewer than k times (default: 0)
    --pattern <name>        gpt2, cl100k, cl100k-original or o200k: the pattern to train
                            (default: gpt2), or the one a .tiktoken file needs (default: cl100k)
    --text                  train: inputs are raw text, one training text per line
    --format <name>         train: corpus format, as for 'rmprep convert' (default: auto)
    --max-reject-rate <r>   train: fail (exit 1, nothing written) when rejected/in exceeds r
                            (default: 0.01); rejected records are counted as by convert
    --special-tokens <list> train: extra special tokens, comma-separated, after the five
    --tiktoken <file>       train: also write a tiktoken rank file
    --threads <n>           Threads for counting and encoding (default: all cores)
    -o, --out <file>        train: the tokenizer.json to write (atomically)
    --tokenizer <file>      encode/decode: tokenizer.json, .tiktoken or vocab.json
    --string <text>         encode: this text instead of input lines
    --match-special         encode: special-token text (e.g. <|eos|>) becomes its id; without
                            it, such text is ordinary text, as corpus data must be
    --ids <ids>             decode: space-separated ids instead of input lines
    --stats-only            encode: print only "<bytes> <tokens> <seconds>" (encoding time,
                            loading excluded) for benchmarks; one thread encodes each input
                            file as one text, more threads split it into 1 MiB line chunks
    --json-lines            encode: each input line is a JSON string (texts may hold newlines);
                            decode: print each text as a JSON string on its own line
    --progress              Show progress even when stderr is not a terminal
    -h, --help              Show help information.

  EXIT STATUS: 0 success, 1 failure (unreadable input or tokenizer, reject rate exceeded, no
  text to train on), 64 usage error, 130 interrupted.

  """

/// Runs `rmprep tokenizer`.
func runTokenizer(_ arguments: [String]) throws {
  let args = try Arguments(
    arguments,
    valued: [
      "vocab-size", "min-frequency", "pattern", "format", "special-tokens", "tiktoken", "threads",
      "out", "tokenizer", "ids", "string", "max-reject-rate",
    ],
    boolean: ["progress", "text", "json-lines", "stats-only", "match-special"])
  if args.flag("help") || args.positionals.isEmpty {
    guard args.flag("help") else {
      throw UsageError("tokenizer needs an action: train, encode or decode")
    }
    print(tokenizerHelp, terminator: "")
    return
  }
  let action = args.positionals[0]
  let inputs = Array(args.positionals.dropFirst())
  let threads: Int = try args.value("threads", default: activeProcessorCount())
  guard threads >= 1 else { throw UsageError("--threads must be at least 1") }
  switch action {
  case "train": try trainTokenizer(args, inputs: inputs, threads: threads)
  case "encode": try encodeWithTokenizer(args, inputs: inputs, threads: threads)
  case "decode": try decodeWithTokenizer(args, inputs: inputs)
  default: throw UsageError("unknown tokenizer action '\(action)' (train, encode or decode)")
  }
}

func activeProcessorCount() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

func trainTokenizer(_ args: Arguments, inputs: [String], threads: Int) throws {
  guard !inputs.isEmpty else { throw UsageError("train needs at least one input ('-' for stdin)") }
  guard let out = args.string("out") else { throw UsageError("train needs -o <tokenizer.json>") }
  guard let vocabSize: Int = try args.optionalValue("vocab-size") else {
    throw UsageError("train needs --vocab-size <n>")
  }
  let patternName = try args.choice(
    "pattern", in: PretokenizerPattern.allCases.map(\.rawValue), default: "gpt2")
  let pattern = PretokenizerPattern(rawValue: patternName)!
  let extra = (args.string("special-tokens") ?? "").split(separator: ",").map(String.init)
  var options = TrainerOptions(
    vocabSize: vocabSize, minFrequency: try args.value("min-frequency", default: 0),
    pattern: pattern, extraSpecialTokens: extra)
  options.minFrequency = max(0, options.minFrequency)
  guard vocabSize >= options.specialTokens.count + 256 else {
    throw UsageError("--vocab-size must be at least \(options.specialTokens.count + 256)")
  }
  let maxRejectRate: Double = try args.value("max-reject-rate", default: 0.01)
  guard (0...1).contains(maxRejectRate) else {
    throw UsageError("--max-reject-rate must be between 0 and 1")
  }
  let progress = Progress(enabled: Progress.shouldShow(forced: args.flag("progress")))
  let started = Progress.now()
  let counter = WordCounter(pattern: pattern, threadCount: threads)
  var err = StandardError()
  var records = 0
  func report() {
    progress.update {
      "tokenizer train: counting \(counter.textCount) texts, \(counter.byteCount >> 20) MiB"
    }
  }
  if args.flag("text") {
    for path in inputs {
      try forEachRawLine(try InputOpener.open(path: path).source) { line in
        try Cancellation.check()
        counter.add(bytes: line)
        report()
      }
    }
  } else {
    var pipelineOptions = PipelineOptions()
    pipelineOptions.format = args.string("format") ?? "auto"
    let pipeline: RecordPipeline
    do {
      pipeline = try RecordPipeline(options: pipelineOptions)
    } catch let error as FormatOptionError {
      throw UsageError(error.message)
    }
    pipeline.shouldStop = { Cancellation.isRequested }
    var firstReject: RejectedRecord?
    pipeline.onReject = { rejected in if firstReject == nil { firstReject = rejected } }
    do {
      try pipeline.run(inputs: inputs) { record in
        counter.add(record.prompt)
        counter.add(record.chosen)
        counter.add(record.rejected)
        records += 1
        report()
        return .written
      }
    } catch is PipelineStopped {
      progress.finish()
      throw Interrupted()
    }
    progress.finish()
    let totals = pipeline.accounting
    err.write("tokenizer train: \(totals.summary)\n")
    if totals.rejectRate > maxRejectRate {
      throw RejectRateExceeded(
        rate: totals.rejectRate, limit: maxRejectRate, rejects: nil, first: firstReject,
        hasRejectsOption: false)
    }
  }
  let words = counter.finish()
  try Cancellation.check()
  guard counter.byteCount > 0 else {
    throw NoTrainingText(inputs: inputs, records: !args.flag("text"))
  }
  progress.update { "tokenizer train: merging (\(words.count) distinct words)" }
  let model = try BPETrainer.train(words, options: options) { done in
    progress.update {
      "tokenizer train: \(done) of \(vocabSize - options.specialTokens.count - 256) merges"
    }
  }
  let tokenizer = try Tokenizer(model: model)
  try AtomicFile.write(tokenizer.serializedJSON(), to: out)
  if let tiktoken = args.string("tiktoken") {
    try AtomicFile.write(TiktokenFile.serialize(tokenizer.model), to: tiktoken)
  }
  progress.finish()
  let elapsed = Progress.now() - started
  let source = args.flag("text") ? "" : "\(records) records, "
  err.write(
    "tokenizer train: \(source)\(counter.textCount) texts, \(counter.byteCount) bytes, "
      + "\(words.count) distinct words, vocab \(tokenizer.vocabSize), "
      + "\(model.merges.count) merges, \(formatSeconds(elapsed)) s → \(out)\n")
  if tokenizer.vocabSize < vocabSize {
    err.write(
      "tokenizer train: warning: the vocabulary reached \(tokenizer.vocabSize), not --vocab-size "
        + "\(vocabSize): the input has no more pairs to merge"
        + (options.minFrequency > 0 ? " seen \(options.minFrequency) times or more" : "")
        + "; give more text or a smaller --vocab-size\n")
  }
}

/// The inputs hold no text at all (empty, or every record rejected): nothing to learn merges from.
struct NoTrainingText: Error, CustomStringConvertible {
  let inputs: [String]
  let records: Bool
  var description: String {
    "no text to train on in \(inputs.joined(separator: ", "))"
      + (records ? " (no valid record; check --format, or use --text for raw text)" : "")
  }
}

/// Calls `body` with every line of `source` exactly as stored: its `\n` (and any `\r` before
/// it) included, the last line without one if the file does not end in `\n`. This is how
/// Hugging Face's trainer reads text files, so `train --text` sees the same texts. The buffer
/// is borrowed; a line longer than the buffer makes it grow.
func forEachRawLine(_ source: ByteSource, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void)
  throws
{
  var buffer = [UInt8](repeating: 0, count: 1 << 20)
  var start = 0
  var end = 0
  while true {
    if start > 0 {
      buffer.withUnsafeMutableBufferPointer { b in
        _ = memmove(b.baseAddress!, b.baseAddress! + start, end - start)
      }
      end -= start
      start = 0
    }
    if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
    let n = try buffer.withUnsafeMutableBytes { raw in
      try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
    }
    let atEnd = n == 0
    end += n
    try buffer.withUnsafeBufferPointer { b in
      var i = start
      let base = b.baseAddress!
      while i < end, let hit = memchr(base + i, 0x0A, end - i) {
        let newline = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        try body(UnsafeBufferPointer(rebasing: b[i...newline]))
        i = newline + 1
      }
      start = i
      if atEnd && start < end {
        try body(UnsafeBufferPointer(rebasing: b[start..<end]))
        start = end
      }
    }
    if atEnd { return }
  }
}

func formatSeconds(_ s: Double) -> String {
  let tenths = Int((s * 10).rounded())
  return "\(tenths / 10).\(tenths % 10)"
}

func loadTokenizer(_ args: Arguments) throws -> Tokenizer {
  guard let path = args.string("tokenizer") else { throw UsageError("needs --tokenizer <file>") }
  let pattern = try args.string("pattern").map { name in
    guard let pattern = PretokenizerPattern(rawValue: name) else {
      throw UsageError("--pattern must be one of \(PretokenizerPattern.allCases.map(\.rawValue))")
    }
    return pattern
  }
  return try Tokenizer.load(path: path, pattern: pattern)
}

func encodeWithTokenizer(_ args: Arguments, inputs: [String], threads: Int) throws {
  let tokenizer = try loadTokenizer(args)
  let jsonLines = args.flag("json-lines")
  if args.flag("stats-only") {
    try encodeStats(tokenizer, inputs: inputs, threads: threads)
    return
  }
  let out = StandardOutput()
  func emit(_ ids: [TokenID]) throws {
    try out.write(ids.map(String.init).joined(separator: " ") + "\n")
  }
  if args.flag("match-special") {
    let texts =
      try args.string("string").map { [$0] }
      ?? (inputs.isEmpty ? ["-"] : inputs).flatMap { path in
        var lines: [String] = []
        try LineReader(try InputOpener.open(path: path).source).forEachLine { line, _, _ in
          lines.append(String(decoding: line, as: UTF8.self))
        }
        return lines
      }
    for text in texts { try emit(tokenizer.encodeMatchingSpecialTokens(text)) }
  } else if let text = args.string("string") {
    try emit(tokenizer.encode(text))
  } else {
    var batch: [String] = []
    func flush() throws {
      for ids in tokenizer.encodeBatch(batch, threadCount: threads) { try emit(ids) }
      batch.removeAll(keepingCapacity: true)
    }
    for path in inputs.isEmpty ? ["-"] : inputs {
      let opened = try InputOpener.open(path: path)
      try LineReader(opened.source).forEachLine { line, number, _ in
        if jsonLines {
          guard
            let text = try JSONParser.parse(line, path: opened.source.name, firstLine: number)
              .stringValue
          else {
            throw CorpusError.malformedRecord(
              InputLocation(path: opened.source.name, line: number),
              detail: "--json-lines needs one JSON string per line")
          }
          batch.append(text)
        } else {
          batch.append(String(decoding: line, as: UTF8.self))
        }
        if batch.count >= 4096 { try flush() }
      }
    }
    try flush()
  }
  try out.flush()
}

func decodeWithTokenizer(_ args: Arguments, inputs: [String]) throws {
  let tokenizer = try loadTokenizer(args)
  let out = StandardOutput()
  func decodeLine(_ text: String, where place: String) throws {
    var ids: [TokenID] = []
    for field in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\n" })
    {
      guard let id = TokenID(field), Int(id) < tokenizer.vocabSize else {
        throw UsageError("\(place): '\(field)' is not a token id below \(tokenizer.vocabSize)")
      }
      ids.append(id)
    }
    if args.flag("json-lines") {
      var line: [UInt8] = []
      JSONWriter.writeString(tokenizer.decode(ids), into: &line)
      try out.write(line + [0x0A])
    } else {
      try out.write(tokenizer.decodeBytes(ids) + [0x0A])
    }
  }
  if let ids = args.string("ids") {
    try decodeLine(ids, where: "--ids")
  } else {
    for path in inputs.isEmpty ? ["-"] : inputs {
      let opened = try InputOpener.open(path: path)
      try LineReader(opened.source).forEachLine { line, number, _ in
        try decodeLine(
          String(decoding: line, as: UTF8.self), where: "\(opened.source.name):\(number)")
      }
    }
  }
  try out.flush()
}

/// `encode --stats-only`: encoding throughput for Benchmarks/bpe (timing excludes file reading).
func encodeStats(_ tokenizer: Tokenizer, inputs: [String], threads: Int) throws {
  var bytes = 0
  var tokens = 0
  var seconds = 0.0
  for path in inputs {
    var data: [UInt8] = []
    try LineReader(try InputOpener.open(path: path).source).forEachLine { line, _, _ in
      data.append(contentsOf: line)
      data.append(0x0A)
    }
    bytes += data.count
    if threads == 1 {
      let text = String(decoding: data, as: UTF8.self)
      let start = Progress.now()
      tokens += tokenizer.encode(text).count
      seconds += Progress.now() - start
    } else {
      var chunks: [String] = []
      var start = 0
      while start < data.count {
        var end = min(data.count, start + (1 << 20))
        while end < data.count && data[end - 1] != 0x0A { end += 1 }
        chunks.append(String(decoding: data[start..<end], as: UTF8.self))
        start = end
      }
      let t0 = Progress.now()
      tokens += tokenizer.encodeBatch(chunks, threadCount: threads).reduce(0) { $0 + $1.count }
      seconds += Progress.now() - t0
    }
  }
  print("\(bytes) \(tokens) \(seconds)")
}
