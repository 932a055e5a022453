// `rmprep tokenizer`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmprep tokenizer`.
func runTokenizer(_ arguments: [String]) throws {
  throw UsageError("'tokenizer' is not available in this build yet")
}
