// `rmtrain seq2seq`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmtrain seq2seq`.
func runSeq2Seq(_ arguments: [String]) throws {
  throw UsageError("'seq2seq' is not available in this build yet")
}
