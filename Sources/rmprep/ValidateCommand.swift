// `rmprep validate`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmprep validate`.
func runValidate(_ arguments: [String]) throws {
  throw UsageError("'validate' is not available in this build yet")
}
