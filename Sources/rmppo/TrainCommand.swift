// `rmppo train`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmppo train`.
func runTrain(_ arguments: [String]) throws {
  throw UsageError("'train' is not available in this build yet")
}
