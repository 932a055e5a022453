// `rmprep convert`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmprep convert`.
func runConvert(_ arguments: [String]) throws {
  throw UsageError("'convert' is not available in this build yet")
}
