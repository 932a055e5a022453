// The inputs `rmppo train` and `rmppo eval` share: a policy run, the runs combined with it, the
// prompt shards and the tokenizer, opened and checked to agree on the tokenizer (sha256) and the
// special ids before any work starts. The refusal lexicon file is read here too.

import BPE
import CLISupport
import Corpus
import EmbeddedTask
import TokenShards
import Training

/// A policy run with its partners, prompts and tokenizer, all known to agree.
struct CompatibleInputs {
  let policy: PolicyRun
  /// The other runs, in the order asked for.
  let others: [PolicyRun]
  let prompts: ShardDataset
  let tokenizer: Tokenizer

  /// Opens `policyPath`, each of `others` (role for the error message, path, its flag and the kinds
  /// of run it may be) and `promptsPath`; the policy must be an sft or a PPO run.
  /// - Throws: `TrainingError.incompatible` naming a run of the wrong kind or the first pair that
  ///   disagrees.
  init(
    policyPath: String, others: [(role: String, path: String, flag: String, kinds: [String])],
    promptsPath: String
  ) throws {
    policy = try PolicyRun.open(path: policyPath)
    try policy.requireKind(PolicyRun.policyKinds, flag: "policy")
    self.others = try others.map {
      let run = try PolicyRun.open(path: $0.path)
      try run.requireKind($0.kinds, flag: $0.flag)
      return run
    }
    prompts = try ShardDataset.openVerified(directory: promptsPath)
    for (other, (role, _, _, _)) in zip(self.others, others) {
      try policy.requireCompatible(
        with: "\(role) \(other.path)", tokenizerSHA256: other.tokenizerSHA256,
        specials: other.specials)
    }
    try policy.requireCompatible(
      with: "the prompts \(prompts.directory)", tokenizerSHA256: prompts.manifest.tokenizerSHA256,
      specials: prompts.manifest.specialIDs)
    tokenizer = try Tokenizer.load(path: policy.tokenizerPath)
    try policy.requireCompatible(
      with: "its tokenizer.json copy", tokenizerSHA256: tokenizer.fileSHA256,
      specials: tokenizer.specialIDs)
  }

  /// Response text without special tokens (decoding, refusal matching, judges).
  func decode(_ tokens: [TokenID]) -> String {
    tokenizer.decode(withoutSpecials(tokens, policy.specials))
  }
}

/// The refusal lexicon named by `--refusal-lexicon`, if any.
func refusalLexicon(_ args: Arguments) throws -> RefusalDetector? {
  try args.string("refusal-lexicon").map {
    RefusalDetector(lexiconText: String(decoding: try FileBytes.read($0), as: UTF8.self))
  }
}
