// `rmtrain eval`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmtrain eval`.
func runEval(_ arguments: [String]) throws {
  throw UsageError("'eval' is not available in this build yet")
}
