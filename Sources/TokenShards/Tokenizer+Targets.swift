// The BPE module's `Tokenizer` as the stage-3 tokenizer: ordinary-text encoding (special strings in
// data stay text, K12), the serialized tokenizer.json bytes that shard directories and streams copy
// (their sha256 is `fileSHA256`), and decoding for `rmprep inspect`.

import BPE

extension Tokenizer: TargetTokenizer {
  /// `encode(_:)`: special-token strings inside `text` are ordinary text.
  public func encodeOrdinary(_ text: String) -> [UInt32] { encode(text) }
  /// `vocabSize`.
  public var vocabularySize: Int { vocabSize }
  /// `serializedJSON()`.
  public var fileBytes: [UInt8] { serializedJSON() }
  /// `decode(_:)`: specials show as their strings (`<|bos|>`).
  public func decodeForDisplay(_ ids: [UInt32]) -> String { decode(ids) }
}
