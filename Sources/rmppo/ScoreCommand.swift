// `rmppo score`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmppo score`.
func runScore(_ arguments: [String]) throws {
  throw UsageError("'score' is not available in this build yet")
}
