// `rmppo report`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmppo report`.
func runReport(_ arguments: [String]) throws {
  throw UsageError("'report' is not available in this build yet")
}
