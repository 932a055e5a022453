// `rmprep synth`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmprep synth`.
func runSynth(_ arguments: [String]) throws {
  throw UsageError("'synth' is not available in this build yet")
}
