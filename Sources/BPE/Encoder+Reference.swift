// The slow, obviously correct BPE: the oracle for the encoder's fast paths.

extension BPEModel {
  /// Encodes one piece by applying every merge, in rank order, to the whole piece (left to
  /// right, non-overlapping), as the original BPE paper describes. O(merges × m).
  ///
  /// Equal to the lowest-rank-first encoders for every model whose merges only use tokens
  /// created by earlier merges — true of every trained model (a merge cannot use a token
  /// before it exists).
  public func referenceEncodePiece(_ piece: [UInt8]) -> [TokenID] {
    let byteIDs = byteTokenIDs()
    var ids = piece.map { byteIDs[Int($0)] }
    for merge in merges where ids.count > 1 {
      var out: [TokenID] = []
      out.reserveCapacity(ids.count)
      var k = 0
      while k < ids.count {
        if k + 1 < ids.count && ids[k] == merge.left && ids[k + 1] == merge.right {
          out.append(merge.result)
          k += 2
        } else {
          out.append(ids[k])
          k += 1
        }
      }
      ids = out
    }
    return ids
  }

  /// Encodes text with Swift `Regex` pretokenization and `referenceEncodePiece`: the oracle
  /// for `Tokenizer.encode` (ignores `ignoreMerges` when it is false, as Hugging Face does).
  public func referenceEncode(_ text: String) throws -> [TokenID] {
    var out: [TokenID] = []
    var whole: [[UInt8]: TokenID] = [:]
    if ignoreMerges {
      let special = Set(specialTokens.map(\.id))
      for (id, bytes) in tokens.enumerated() where !special.contains(TokenID(id)) {
        if whole[bytes] == nil { whole[bytes] = TokenID(id) }
      }
    }
    for piece in try Pretokenizer(pattern: pattern).referenceSplit(text) {
      let bytes = Array(piece.utf8)
      if let id = whole[bytes] {
        out.append(id)
      } else {
        out.append(contentsOf: referenceEncodePiece(bytes))
      }
    }
    return out
  }
}
