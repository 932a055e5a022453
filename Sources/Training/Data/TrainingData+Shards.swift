// TrainingData from a validated shard directory (TokenShards.ShardDataset): the data's target kind
// must be the one the objective trains on, and its special ids those of its tokenizer.

import BPE
import Corpus
import TokenShards

extension TrainingData {
  /// Loads one split of `dataset` for `objective`.
  /// - Throws: `TrainingError.incompatible` when the target kind does not fit the objective;
  ///   `ShardError` when the shards changed since they were opened.
  public static func load(dataset: ShardDataset, split: Split, objective: TrainingObjective) throws
    -> TrainingData
  {
    let kind = dataset.manifest.targetKind.rawValue
    guard kind == objective.targetKind else {
      throw TrainingError.incompatible(
        what: "target kind of \(dataset.directory) for 'rmtrain \(objective.rawValue)'",
        expected: objective.targetKind,
        found: kind + " (re-run rmprep convert --targets \(objective.targetKind))")
    }
    var index = 0
    let documents = try dataset.documents(split: split).map { document in
      defer { index += 1 }
      return document.map {
        TrainingExample(tokens: $0.tokens, mask: $0.mask, documentIndex: index)
      }
    }
    if objective == .scalar {
      return try pairs(documents: documents, sepRespID: dataset.manifest.specialIDs.sepResp)
    }
    return languageModel(documents: documents)
  }

  /// The manifest's special ids in the BPE module's type.
  public static func specialTokenIDs(of dataset: ShardDataset) -> SpecialTokenIDs {
    let s = dataset.manifest.specialIDs
    return SpecialTokenIDs(
      pad: s.pad, bos: s.bos, eos: s.eos, sepResp: s.sepResp, sepCorr: s.sepCorr)
  }

  /// sha256 of the dataset's manifest.json (its lineage identity).
  public static func manifestSHA256(of dataset: ShardDataset) throws -> String {
    SHA256.hash(try readFileBytes(dataset.directory + "/" + ShardManifest.fileName)).hex
  }
}
