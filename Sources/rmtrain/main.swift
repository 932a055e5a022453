// rmtrain: token shards (or an rmprep stream) → SFT policy, seq2seq reward model, scalar reward model.
// Each subcommand lives in its own <Name>Command.swift; this file is only the table.

import CLISupport
import Corpus

Tool(
  name: "rmtrain",
  version: ToolkitVersion.string,
  overview: "Train the SFT policy, the seq2seq reward model and the scalar baseline on CPU.",
  subcommands: [
    Subcommand("sft", "Train the SFT policy on sft shards.", run: runSFT),
    Subcommand(
      "seq2seq", "Train the seq2seq reward model by sequence MLE on seq2seq shards.",
      run: runSeq2Seq),
    Subcommand(
      "scalar", "Train the scalar Bradley-Terry reward model on pairs shards.", run: runScalar),
    Subcommand("eval", "Evaluate a run directory on compatible data.", run: runEval),
    Subcommand("sample", "Generate text from a run directory.", run: runSample),
  ]
).main()
