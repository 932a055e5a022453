// The vocabulary of stage 3 (DESIGN.md "Target kinds"): what a target kind is, which split a record is
// in, one token sequence with its loss mask, and the five special ids every stage reads from the
// tokenizer (never hard-coded). Token ids are UInt32 (the BPE module's `TokenID`).

import BPE

/// What kind of training examples a shard directory or stream holds.
public enum TargetKind: String, Sendable, CaseIterable, Equatable {
  /// Correction `[BOS] x [SEP_RESP] y_l [SEP_CORR] y_w [EOS]` and identity
  /// `[BOS] x [SEP_RESP] y_w [SEP_CORR] y_w [EOS]`, each its own document; loss on y_w and EOS.
  case seq2seq
  /// `[BOS] x [SEP_RESP] y_w [EOS]` and `[BOS] x [SEP_RESP] y_l [EOS]` as one document of two
  /// sequences; the mask marks the scoring position (each sequence's last token) only.
  case pairs
  /// `[BOS] x [SEP_RESP] y_w [EOS]`; loss on y_w and EOS.
  case sft
  /// `[BOS] x [SEP_RESP]`; no loss (PPO rollouts start here). Mask all zero.
  case prompts

  /// The code used in the stream header (Schemas/stream.md).
  public var code: UInt8 {
    switch self {
    case .seq2seq: return 1
    case .pairs: return 2
    case .sft: return 3
    case .prompts: return 4
    }
  }

  /// The kind for a stream-header code, or nil.
  public init?(code: UInt8) {
    guard let kind = Self.allCases.first(where: { $0.code == code }) else { return nil }
    self = kind
  }
}

/// The train/validation split (`RecordID.isValidation`), shared by every target kind.
public enum Split: String, Sendable, CaseIterable, Equatable {
  case train
  case val

  /// The code used in stream records: 0 train, 1 val.
  public var code: UInt8 { self == .train ? 0 : 1 }
}

/// One token sequence and its loss mask, of equal length.
///
/// `mask[i] == 1` means token `i` is a training label (predicted from position `i − 1`); for `pairs`
/// it marks the scoring position instead (the sequence's last token).
public struct TokenSequence: Sendable, Equatable {
  /// Token ids (the BPE module's `TokenID` = UInt32).
  public var tokens: [UInt32]
  /// One byte per token: 1 = label (or scoring position for pairs), 0 = context.
  public var mask: [UInt8]

  /// Creates a sequence; `tokens` and `mask` must have the same length.
  public init(tokens: [UInt32], mask: [UInt8]) {
    precondition(
      tokens.count == mask.count, "TokenSequence: \(tokens.count) tokens, \(mask.count) mask bytes")
    self.tokens = tokens
    self.mask = mask
  }

  /// Number of tokens.
  public var count: Int { tokens.count }
  /// Index of the last real token (EOS, or the last kept token when truncated); nil when empty.
  public var lastTokenIndex: Int? { tokens.isEmpty ? nil : tokens.count - 1 }
}

/// The ids of the five special tokens: the BPE module's `SpecialTokenIDs`, read from the tokenizer
/// and recorded in manifests and streams.
public typealias SpecialIDs = SpecialTokenIDs

extension SpecialTokenIDs {
  /// In the fixed order pad, bos, eos, sep_resp, sep_corr (stream header order).
  public var ordered: [UInt32] { [pad, bos, eos, sepResp, sepCorr] }

  /// The JSON names, in `ordered` order.
  public static let names = ["pad", "bos", "eos", "sep_resp", "sep_corr"]

  /// Creates the set from `ordered` values.
  public init(ordered v: [UInt32]) {
    precondition(v.count == 5, "SpecialIDs needs 5 ids, got \(v.count)")
    self.init(pad: v[0], bos: v[1], eos: v[2], sepResp: v[3], sepCorr: v[4])
  }
}

/// What stage 3 needs from a tokenizer. The BPE module's `Tokenizer` conforms (Tokenizer+Targets.swift);
/// tests use a tiny byte tokenizer.
public protocol TargetTokenizer: Sendable {
  /// Encodes ordinary text: special-token strings inside it are plain text, never control ids (K12).
  func encodeOrdinary(_ text: String) -> [UInt32]
  /// Number of ids (every id is < this).
  var vocabularySize: Int { get }
  /// The special ids.
  var specialIDs: SpecialIDs { get }
  /// sha256 (lowercase hex) of the tokenizer file's bytes.
  var fileSHA256: String { get }
  /// The tokenizer file's bytes (copied into shard directories and streams).
  var fileBytes: [UInt8] { get }
  /// Decodes ids to text for humans (`rmprep inspect`); specials shown as their strings.
  func decodeForDisplay(_ ids: [UInt32]) -> String
}
