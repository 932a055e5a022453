// Opt-in matching of special-token text, for prompts written by hand (never for corpus data).

extension Tokenizer {
  /// The ids of `text` where the exact text of a special token (e.g. `<|eos|>`) becomes that
  /// token's id; the text between is encoded as by `encode(_:)`.
  ///
  /// Corpus data must use `encode(_:)`, which never does this (KNOWN-FAULTS K12). At each
  /// position the longest matching special wins; matching is byte-exact (no normalization).
  ///
  ///     tok.encodeMatchingSpecialTokens("a<|eos|>b")   // ids("a") + [eos] + ids("b")
  public func encodeMatchingSpecialTokens(_ text: String) -> [TokenID] {
    let specials = model.specialTokens.map { (bytes: Array($0.content.utf8), id: $0.id) }
      .filter { !$0.bytes.isEmpty }
      .sorted { $0.bytes.count > $1.bytes.count }
    var firstBytes = [Bool](repeating: false, count: 256)
    for s in specials { firstBytes[Int(s.bytes[0])] = true }
    var out: [TokenID] = []
    var scratch = EncodeScratch()
    var text = text
    text.withUTF8 { bytes in
      var segmentStart = 0
      var i = 0
      while i < bytes.count {
        guard firstBytes[Int(bytes[i])],
          let hit = specials.first(where: { s in
            i + s.bytes.count <= bytes.count
              && s.bytes.indices.allSatisfy { bytes[i + $0] == s.bytes[$0] }
          })
        else {
          i += 1
          continue
        }
        encoder.encode(
          UnsafeBufferPointer(rebasing: bytes[segmentStart..<i]), into: &out, scratch: &scratch)
        out.append(hit.id)
        i += hit.bytes.count
        segmentStart = i
      }
      encoder.encode(
        UnsafeBufferPointer(rebasing: bytes[segmentStart..<bytes.count]), into: &out,
        scratch: &scratch)
    }
    return out
  }
}
