// `rmtrain sample`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmtrain sample`.
func runSample(_ arguments: [String]) throws {
  throw UsageError("'sample' is not available in this build yet")
}
