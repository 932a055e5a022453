// Token ids and the five special tokens of DESIGN.md.

/// A token id. Ids are dense from 0 to `vocabSize - 1`.
public typealias TokenID = UInt32

/// The ids of the five special tokens every stage needs (DESIGN.md "Special tokens").
///
/// A tokenizer we train gives them ids 0–4 in this order, before the 256 byte tokens; a
/// tokenizer a user brings keeps its ids and gets the missing ones appended. No stage may
/// hard-code these numbers: read them from `Tokenizer.specialIDs`.
public struct SpecialTokenIDs: Sendable, Equatable, Hashable {
  /// `<|pad|>`: fills batches; never a label.
  public var pad: TokenID
  /// `<|bos|>`: starts every sequence.
  public var bos: TokenID
  /// `<|eos|>`: ends every sequence that is not truncated.
  public var eos: TokenID
  /// `<|sep_resp|>`: separates the prompt from the (input) response.
  public var sepResp: TokenID
  /// `<|sep_corr|>`: separates the input response from the corrected (target) response.
  public var sepCorr: TokenID

  /// The ids, memberwise.
  public init(pad: TokenID, bos: TokenID, eos: TokenID, sepResp: TokenID, sepCorr: TokenID) {
    self.pad = pad
    self.bos = bos
    self.eos = eos
    self.sepResp = sepResp
    self.sepCorr = sepCorr
  }

  /// The strings of the five special tokens, in id order for a tokenizer we train.
  public static let strings = ["<|pad|>", "<|bos|>", "<|eos|>", "<|sep_resp|>", "<|sep_corr|>"]

  /// The ids in the order of `strings`.
  public var all: [TokenID] { [pad, bos, eos, sepResp, sepCorr] }
}
