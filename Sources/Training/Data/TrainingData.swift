// TrainingData: documents from shards or the stream, turned into what an objective trains on, with
// every unusable document dropped for a named, counted reason (DESIGN.md "Nothing is lost"):
//  - sft / seq2seq: one example per sequence; a sequence with no label token is dropped
//    (`no_target_tokens`), so a batch never divides 0 by 0 (KNOWN-FAULTS K18);
//  - scalar: one (chosen, rejected) pair per two-sequence document; a pair whose token ids are
//    identical after truncation is dropped (`identical_after_truncation`, K17) and one with an empty
//    response (`no_room_for_completion`, K18).
// Response lengths count the tokens after the first SEP_RESP (special ids never occur inside text).

/// Training examples of one split, ready for batching, and what was dropped.
public struct TrainingData: Sendable {
  /// Single sequences (sft, seq2seq).
  public var examples: [TrainingExample] = []
  /// Preference pairs (scalar): chosen first.
  public var pairs: [(chosen: TrainingExample, rejected: TrainingExample)] = []
  /// Documents dropped, by reason.
  public var dropped: [String: Int] = [:]
  /// Documents read.
  public var documentCount = 0

  /// Number of units an optimizer step draws from: sequences, or pairs for scalar.
  public var unitCount: Int { pairs.isEmpty ? examples.count : pairs.count }

  /// Longest sequence, in tokens.
  public var longestSequence: Int {
    max(
      examples.map(\.tokens.count).max() ?? 0,
      pairs.map { max($0.chosen.tokens.count, $0.rejected.tokens.count) }.max() ?? 0)
  }

  /// Every sequence of every document as a language-model example.
  /// - Parameter documents: per document, its sequences (tokens with masks).
  public static func languageModel(documents: [[TrainingExample]]) -> TrainingData {
    var data = TrainingData()
    data.documentCount = documents.count
    for document in documents {
      for sequence in document {
        if sequence.labelCount == 0 {
          data.dropped["no_target_tokens", default: 0] += 1
        } else {
          data.examples.append(sequence)
        }
      }
    }
    return data
  }

  /// Two-sequence documents `[chosen, rejected]` as preference pairs.
  /// - Throws: `TrainingError.incompatible` when a document does not hold exactly two sequences.
  public static func pairs(documents: [[TrainingExample]], sepRespID: UInt32) throws -> TrainingData
  {
    var data = TrainingData()
    data.documentCount = documents.count
    for (index, document) in documents.enumerated() {
      guard document.count == 2 else {
        throw TrainingError.incompatible(
          what: "pairs document \(index)", expected: "2 sequences", found: "\(document.count)")
      }
      let (chosen, rejected) = (document[0], document[1])
      if chosen.tokens == rejected.tokens {
        data.dropped["identical_after_truncation", default: 0] += 1
      } else if responseLength(chosen, sepRespID: sepRespID) < 2
        || responseLength(rejected, sepRespID: sepRespID) < 2
      {
        // Fewer than 2 tokens after SEP_RESP: no response token besides (at most) the EOS.
        data.dropped["no_room_for_completion", default: 0] += 1
      } else {
        data.pairs.append((chosen, rejected))
      }
    }
    return data
  }

  /// Tokens after the first SEP_RESP (the response and its EOS), or the whole sequence without one.
  public static func responseLength(_ example: TrainingExample, sepRespID: UInt32) -> Int {
    guard let sep = example.tokens.firstIndex(of: sepRespID) else { return example.tokens.count }
    return example.tokens.count - sep - 1
  }
}
