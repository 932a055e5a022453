// Starting a run from a Hugging Face GPT-2 checkpoint instead of an rmtrain run: a directory with
// `config.json` and `model.safetensors` (F32) as transformers' `save_pretrained` writes them, whose
// config.json has no "seq2seqrm" block. The data's tokenizer must extend the checkpoint's: rmprep
// keeps a brought GPT-2 tokenizer's ids and appends the missing special tokens after its vocabulary
// (DESIGN.md), so the embedding grows by those rows, initialised to the mean of the existing rows
// (GPTModel.resizeVocabulary). The checkpoint carries no tokenizer hash, so only the sizes can be
// checked; lineage records the checkpoint by sha256.

import BPE
import Corpus
import Transformer

/// A pretrained GPT-2 checkpoint resized to the data's vocabulary.
public struct PretrainedCheckpoint {
  /// The model, vocabulary grown to the data's.
  public let model: GPTModel
  /// Vocabulary size of the checkpoint before resizing.
  public let originalVocabularySize: Int
  /// Rows added to the token embedding (the special tokens the data's tokenizer appended).
  public var addedTokens: Int { model.config.vocabularySize - originalVocabularySize }
  /// Lineage entry for the run started from it.
  public let lineageJSON: JSONValue

  /// True when `path` holds a config.json without a "seq2seqrm" block (not an rmtrain run).
  public static func isPretrained(path: String) -> Bool {
    let configPath = path + "/" + GPTModel.configFileName
    guard let bytes = try? readFileBytes(configPath),
      let json = try? JSONParser.parse(bytes, path: configPath)
    else { return false }
    return json.objectValue != nil && json["seq2seqrm"] == nil
  }

  /// Loads the checkpoint at `path` and grows its vocabulary to `vocabularySize`.
  /// - Throws: `TrainingError.incompatible` when the checkpoint's vocabulary is larger than the
  ///   data's; `CheckpointError` for a missing, truncated or non-F32 checkpoint.
  public static func open(path: String, vocabularySize: Int) throws -> PretrainedCheckpoint {
    let model = try GPTModel.load(directory: path)
    let original = model.config.vocabularySize
    guard original <= vocabularySize else {
      throw TrainingError.incompatible(
        what:
          "vocabulary size of the checkpoint \(path) and the data (the data's tokenizer must "
          + "be the checkpoint's, with the special tokens appended, as rmprep does with a "
          + "GPT-2 tokenizer.json)",
        expected: "at most \(vocabularySize)", found: "\(original)")
    }
    model.resizeVocabulary(to: vocabularySize)
    let configBytes = try readFileBytes(path + "/" + GPTModel.configFileName)
    let weights = try readFileBytes(path + "/" + GPTModel.weightsFileName)
    let lineage: JSONValue = .object([
      (key: "path", value: .string(path)), (key: "kind", value: .string("pretrained")),
      (key: "vocabulary_size", value: .int(original)),
      (key: "added_tokens", value: .int(vocabularySize - original)),
      (key: "config_sha256", value: .string(SHA256.hash(configBytes).hex)),
      (key: "model_sha256", value: .string(SHA256.hash(weights).hex)),
    ])
    return PretrainedCheckpoint(
      model: model, originalVocabularySize: original, lineageJSON: lineage)
  }
}
