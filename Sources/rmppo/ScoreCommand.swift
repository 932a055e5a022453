// `rmppo score`: per-token rewards of given responses under a reward-model run, as JSONL (one
// object per response) and an optional HTML heat map over the decoded tokens. A seq2seq run gives
// token scores from one teacher-forced pass (METHOD.md §2.4) plus the RM's own prediction at each
// position; a scalar run gives R(x, y) on the last token plus the running score at every prefix.

import BPE
import CLISupport
import Corpus
import Training
import Transformer

let scoreHelp = """
  OVERVIEW: Write per-token rewards of given responses (JSONL) and an HTML heat map.

  Each input line is {"prompt": …, "response": …}, a normalized record {"prompt", "chosen",
  "rejected"} whose two responses are both scored, or an HH-RLHF pair of transcripts (split at
  the last common "Assistant:" turn). Prompt and response are tokenized separately as
  [BOS] prompt [SEP_RESP] and response [EOS], as rmprep does.

  USAGE: rmppo score --reward <rm-run> --data <file> [-o <file>] [--html <file>] [options]

  OPTIONS:
    --reward <dir>          Reward-model run (rmtrain seq2seq or scalar)
    --data <file>           JSONL input; '-' reads standard input
    -o, --out <file>        JSONL output; '-' is stdout (default: -)
    --html <file>           Also write a heat map of the scores over the tokens
    --variant <A|B|C>       Seq2seq extraction variant (default: the run's, else A)
    --r-pos <r>             Score of an agreeing token (default: the run's, else 1)
    --r-neg <r>             Penalty of a diverging token (default: the run's, else 1)
    --divide-by-length      Divide seq2seq scores by the response length
    --threads <n>           Engine threads (default: 1)
    -h, --help              Show help information.

  EXIT STATUS: 0 success, 1 failure (unreadable run or data, bad line), 64 usage error.

  """

/// One scored response.
struct ScoredResponse {
  var line: Int
  var which: String
  var prompt: String
  /// x as given to the reward model: cut from the left when the RM input would not fit its
  /// context (scalar: [BOS] x [SEP_RESP] y; seq2seq: the layout of Seq2SeqRewardInput).
  var promptTokens: [TokenID]
  var response: [TokenID]
  var scores: [Float]
  var predictions: [TokenID]?
  var firstDivergence: Int?
  var values: [Float]?
}

/// Runs `rmppo score`.
func runScore(_ arguments: [String]) throws {
  let args = try Arguments(
    arguments, valued: ["reward", "data", "out", "html", "variant", "r-pos", "r-neg", "threads"],
    boolean: ["divide-by-length"])
  if args.flag("help") {
    print(scoreHelp, terminator: "")
    return
  }
  setThreadCount(try threadCount(args))
  // Outputs first (parents created, temp files opened): a bad path fails before any scoring.
  let jsonlOutput = try CommandOutput(args.string("out") ?? "-")
  let htmlOutput = try args.string("html").map(CommandOutput.init)
  let run = try PolicyRun.open(path: try args.required("reward"))
  try run.requireKind(PolicyRun.rewardKinds, flag: "reward")
  let tokenizer = try Tokenizer.load(path: run.tokenizerPath)
  try run.requireCompatible(
    with: "its tokenizer.json copy", tokenizerSHA256: tokenizer.fileSHA256,
    specials: tokenizer.specialIDs)
  let specials = run.specials
  let config = try extractionConfig(from: args, rewardRun: run.path)
  let dataPath = try args.required("data")
  let network = GPTNetwork(model: run.model, computesLogits: run.kind == "seq2seq")
  let vocabulary = run.model.config.vocabularySize

  var results: [ScoredResponse] = []
  var cut = PromptCuts()
  let hhTranscripts = HHRLHFAdapter()
  let text = String(decoding: try FileBytes.readDecoded(dataPath), as: UTF8.self)
  for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    guard !line.allSatisfy({ $0 == " " || $0 == "\r" }) else { continue }
    let where_ = "\(dataPath == "-" ? "<stdin>" : dataPath):\(index + 1)"
    var json: JSONValue
    do {
      json = try JSONParser.parse(Array(line.utf8), path: dataPath)
    } catch CorpusError
      .malformedJSON(var location, let detail)
    {
      location.line = index + 1  // the parser saw one line: its line 1 is this file's line
      throw CorpusError.malformedJSON(location, detail: detail)
    }
    if case .pair(let prompt, let chosen, let rejected, _)? = hhTranscripts.matches(json)
      ? try? hhTranscripts.convert(json) : nil
    {
      json = .object([
        (key: "prompt", value: .string(prompt)), (key: "chosen", value: .string(chosen)),
        (key: "rejected", value: .string(rejected)),
      ])
    }
    guard let prompt = json["prompt"]?.stringValue else {
      throw CorpusError.missingField(
        InputLocation(path: dataPath, line: index + 1), field: "prompt")
    }
    var responses: [(String, String)] = []
    if let response = json["response"]?.stringValue { responses.append(("response", response)) }
    for key in ["chosen", "rejected"] {
      if let response = json[key]?.stringValue { responses.append((key, response)) }
    }
    guard !responses.isEmpty else {
      throw CorpusError.missingField(
        InputLocation(path: dataPath, line: index + 1), field: "response (or chosen/rejected)")
    }
    let fullPrompt = tokenizer.encode(prompt)
    for (which, response) in responses {
      let y = tokenizer.encode(response) + [specials.eos]
      // What must fit: scalar [BOS] x [SEP_RESP] y, x cut from the left; seq2seq the specials and
      // y, since the extractor cuts x from the left and then y' from the right (DESIGN.md).
      let context = run.model.config.contextLength
      let room = context - y.count - 2
      guard room >= 0 else {
        throw TrainingError.incompatible(
          what: "length of the \(which) at \(where_)",
          expected: "a response that fits the reward model's context of \(context) tokens",
          found: "\(y.count) tokens")
      }
      // x as the RM sees it: the extractor's own cut for seq2seq, the suffix that fits for scalar.
      let dropped =
        run.kind == "seq2seq"
        ? try Seq2SeqRewardInput(
          prompt: fullPrompt, response: y, specials: specials, maxLength: context
        ).promptTokensDropped : max(0, fullPrompt.count - room)
      let x = Array(fullPrompt.dropFirst(dropped))
      cut.note(kept: x.count, of: fullPrompt.count, at: where_)
      var scored = ScoredResponse(
        line: index + 1, which: which, prompt: prompt, promptTokens: x, response: y, scores: [])
      if run.kind == "seq2seq" {
        let rewards = try extractTokenRewards(
          prompt: fullPrompt, response: y, specials: specials,
          maxLength: run.model.config.contextLength,
          vocabularySize: vocabulary, config: config
        ) { tokens in
          network.forward(
            tokens: tokens.map { Int32($0) }, batchSize: 1, sequenceLength: tokens.count
          ).logits
        }
        (scored.scores, scored.predictions, scored.firstDivergence) =
          (
            rewards.scores, rewards.predictions,
            rewards.firstDivergence < y.count ? rewards.firstDivergence : nil
          )
      } else {
        let tokens = [specials.bos] + x + [specials.sepResp] + y
        guard tokens.count <= run.model.config.contextLength else {
          throw TrainingError.responseTooLong(
            length: tokens.count, maxLength: run.model.config.contextLength)
        }
        let values = network.forward(
          tokens: tokens.map { Int32($0) }, batchSize: 1, sequenceLength: tokens.count
        ).values
        let start = x.count + 2
        scored.values = Array(values[start..<(start + y.count)])
        scored.scores = placeScalarRewards(
          scores: [scored.values!.last!], lengths: [y.count], endsWithEOS: [true], width: y.count)
      }
      results.append(scored)
    }
  }

  let piece = { (id: TokenID) -> String in tokenPiece(id, tokenizer: tokenizer, specials: specials)
  }
  var out = ""
  for r in results { out += JSONWriter.string(scoreJSON(r, piece: piece)) + "\n" }
  // Both outputs are written before either is committed (stdout last): a failure leaves neither.
  try jsonlOutput.write(out)
  try htmlOutput?.write(
    heatMapHTML(
      results, piece: piece, title: "Per-token rewards: \(run.path) (\(run.kind))",
      predictionPiece: piece))
  try htmlOutput?.commit()
  try jsonlOutput.commit()
  var err = StandardError()
  if let warning = cut.warning(context: run.model.config.contextLength) {
    err.write("rmppo: warning: \(warning)\n")
  }
  err.write("rmppo: scored \(results.count) responses with \(run.path) (\(run.kind))\n")
}

/// Prompts cut from the left to fit the reward model's context, for one warning line.
struct PromptCuts {
  /// Responses whose prompt was cut.
  var count = 0
  /// The first one: where (path:line), tokens kept, tokens of the whole prompt.
  var first: (place: String, kept: Int, total: Int)?

  mutating func note(kept: Int, of total: Int, at place: String) {
    guard kept < total else { return }
    count += 1
    if first == nil { first = (place, kept, total) }
  }

  /// The warning, or nil when no prompt was cut.
  ///
  ///     1 response had its prompt cut from the left to fit the reward model's context of 192
  ///     tokens (first: in.jsonl:3, 150 of 4001 prompt tokens kept; prompt_tokens shows them)
  func warning(context: Int) -> String? {
    guard let first else { return nil }
    return
      "\(count) response\(count == 1 ? " had its" : "s had their") prompt cut from the left to "
      + "fit the reward model's context of \(context) tokens (first: \(first.place), \(first.kept) "
      + "of \(first.total) prompt tokens kept; prompt_tokens shows them)"
  }
}

/// A token as display text: special tokens by name, others as their bytes (lossy UTF-8: a
/// multi-byte character split across tokens shows U+FFFD on each part, K13).
func tokenPiece(_ id: TokenID, tokenizer: Tokenizer, specials: SpecialTokenIDs) -> String {
  let names = [
    specials.pad: "<|pad|>", specials.bos: "<|bos|>", specials.eos: "<|eos|>",
    specials.sepResp: "<|sep_resp|>", specials.sepCorr: "<|sep_corr|>",
  ]
  if let name = names[id] { return name }
  return String(decoding: tokenizer.tokenBytes(id), as: UTF8.self)
}

/// One JSONL object of `rmppo score`.
func scoreJSON(_ r: ScoredResponse, piece: (TokenID) -> String) -> JSONValue {
  var members: [(key: String, value: JSONValue)] = [
    (key: "line", value: .int(r.line)), (key: "which", value: .string(r.which)),
    (key: "prompt", value: .string(r.prompt)),
    (key: "prompt_tokens", value: .array(r.promptTokens.map { .int($0) })),
    (key: "tokens", value: .array(r.response.map { .int($0) })),
    (key: "pieces", value: .array(r.response.map { .string(piece($0)) })),
    (key: "scores", value: .array(r.scores.map { .double(Double($0)) })),
    (key: "total", value: .double(r.scores.reduce(0.0) { $0 + Double($1) })),
  ]
  if let predictions = r.predictions {
    members.append((key: "predictions", value: .array(predictions.map { .int($0) })))
    members.append((key: "predicted_pieces", value: .array(predictions.map { .string(piece($0)) })))
  }
  if let k = r.firstDivergence { members.append((key: "first_divergence", value: .int(k))) }
  if let values = r.values {
    members.append((key: "values", value: .array(values.map { .double(Double($0)) })))
  }
  return .object(members)
}
