// `rmprep inspect`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmprep inspect`.
func runInspect(_ arguments: [String]) throws {
  throw UsageError("'inspect' is not available in this build yet")
}
