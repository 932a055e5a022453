// `rmprep verify`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmprep verify`.
func runVerify(_ arguments: [String]) throws {
  throw UsageError("'verify' is not available in this build yet")
}
