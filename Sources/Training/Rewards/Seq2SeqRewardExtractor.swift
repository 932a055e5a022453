// Running the seq2seq reward model over a (prompt, response) pair: the sequence layout of
// METHOD.md §1.4 / §2.4, the single teacher-forced pass, and the explicit greedy-then-teacher-
// forced loop it must equal (the test oracle, METHOD.md §7.3). Special ids come from the
// tokenizer (BPE.SpecialTokenIDs), never from constants. A "model" here is any causal
// function from a token sequence to its logits, (T, V) row-major: row i predicts token i + 1.

import BPE

/// The RM input for one response and where its predictions sit.
public struct Seq2SeqRewardInput: Sendable, Equatable {
  /// `[BOS] x [SEP_RESP] y' [SEP_CORR] y[0..<T−1]`: the last response token is never an input.
  public var tokens: [TokenID]
  /// Logits row `predictionOffset + t` predicts response token t (= index of SEP_CORR).
  public var predictionOffset: Int
  /// Prompt tokens dropped from the left to fit `maxLength` (0 when nothing was cut).
  public var promptTokensDropped: Int
  /// Tokens of y' (the input copy) dropped from the right to fit `maxLength`.
  public var inputResponseTokensDropped: Int

  /// Lays out the RM input. y' is y without a trailing EOS (the input slot never holds EOS).
  /// When the sequence exceeds `maxLength`, the prompt is cut from the left first, then y' from
  /// the right (DESIGN.md truncation order); the scored copy y is never cut.
  /// - Parameters:
  ///   - prompt: x without BOS or SEP_RESP (as stored after them in a prompt shard).
  ///   - response: y, possibly ending with EOS; at least one token.
  /// - Throws: `TrainingError.responseTooLong` when y alone does not fit.
  public init(
    prompt: [TokenID], response: [TokenID], specials: SpecialTokenIDs, maxLength: Int
  ) throws {
    precondition(!response.isEmpty, "Seq2SeqRewardInput: a response has at least one token")
    var x = prompt[...]
    var inputCopy = response.last == specials.eos ? response.dropLast() : response[...]
    // 3 specials (BOS, SEP_RESP, SEP_CORR) + x + y' + (T − 1) scored inputs.
    let fixed = 3 + response.count - 1
    guard fixed <= maxLength else {
      throw TrainingError.responseTooLong(length: response.count, maxLength: maxLength)
    }
    let excess = max(0, fixed + x.count + inputCopy.count - maxLength)
    let fromPrompt = min(excess, x.count)
    x = x.dropFirst(fromPrompt)
    let fromInput = min(excess - fromPrompt, inputCopy.count)
    inputCopy = inputCopy.dropLast(fromInput)
    var tokens: [TokenID] = [specials.bos]
    tokens += x
    tokens.append(specials.sepResp)
    tokens += inputCopy
    tokens.append(specials.sepCorr)
    predictionOffset = tokens.count - 1
    tokens += response.dropLast()
    self.tokens = tokens
    promptTokensDropped = fromPrompt
    inputResponseTokensDropped = fromInput
  }
}

/// A causal language model seen as a function: tokens (T) → logits (T, V) row-major.
public typealias LogitsFunction = ([TokenID]) throws -> [Float]

/// Token-level rewards of one response from one teacher-forced pass of the reward model.
/// - Parameters:
///   - logits: the reward model; called once on `Seq2SeqRewardInput.tokens`.
/// - Complexity: one RM forward pass over |x| + 2T + 2 tokens.
public func extractTokenRewards(
  prompt: [TokenID], response: [TokenID], specials: SpecialTokenIDs, maxLength: Int,
  vocabularySize: Int, config: TokenRewardConfig, logits: LogitsFunction
) throws -> TokenRewards {
  let input = try Seq2SeqRewardInput(
    prompt: prompt, response: response, specials: specials, maxLength: maxLength)
  let all = try logits(input.tokens)
  let start = input.predictionOffset * vocabularySize
  let rows = Array(all[start..<(start + response.count * vocabularySize)])
  return rows.withUnsafeBufferPointer {
    tokenScores(response: response, logits: $0, vocabularySize: vocabularySize, config: config)
  }
}

/// Reference extraction by the explicit procedure of the paper's Figure 2 (METHOD.md §2.1):
/// greedy-decode the RM after `[SEP_CORR]` while its tokens equal the response's; from the first
/// mismatch on, feed the response's tokens one at a time and read each next prediction. One RM
/// call per response token; the oracle for `extractTokenRewards`, never used in training.
public func extractTokenRewardsByExplicitLoop(
  prompt: [TokenID], response: [TokenID], specials: SpecialTokenIDs, maxLength: Int,
  vocabularySize: Int, config: TokenRewardConfig, logits: LogitsFunction
) throws -> TokenRewards {
  let input = try Seq2SeqRewardInput(
    prompt: prompt, response: response, specials: specials, maxLength: maxLength)
  var context = Array(input.tokens[...input.predictionOffset])  // … [SEP_CORR]
  var predictions: [TokenID] = []
  var rows: [Float] = []
  var decoding = true  // greedy decoding until the first mismatch
  for t in response.indices {
    let all = try logits(context)
    let last = Array(all[(all.count - vocabularySize)...])
    let greedy = TokenID(last.withUnsafeBufferPointer { greedyToken($0) })
    predictions.append(greedy)
    rows += last
    if decoding && greedy != response[t] { decoding = false }
    // While decoding, the RM's own token equals the response's, so both feeds coincide;
    // after the divergence the response's token is fed (teacher forcing).
    context.append(decoding ? greedy : response[t])
  }
  return rows.withUnsafeBufferPointer {
    tokenScores(response: response, logits: $0, vocabularySize: vocabularySize, config: config)
  }
}
