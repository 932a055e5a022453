// `rmtrain sft`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmtrain sft`.
func runSFT(_ arguments: [String]) throws {
  throw UsageError("'sft' is not available in this build yet")
}
