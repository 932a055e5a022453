// `rmtrain scalar`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmtrain scalar`.
func runScalar(_ arguments: [String]) throws {
  throw UsageError("'scalar' is not available in this build yet")
}
