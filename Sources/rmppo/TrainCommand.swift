// `rmppo train`: PPO from an SFT run with a seq2seq or scalar reward model on prompt shards.
// The loop is `Training.PPOTrainer`; this file checks the inputs agree (tokenizer sha256, special
// ids) before any work, builds actor/reference/critic, logs each iteration, writes samples and
// checkpoints, handles Ctrl-C (checkpoint, exit 130) and exports the policy in the HF layout.

import BPE
import CLISupport
import Corpus
import EmbeddedTask
import TokenShards
import Training
import Transformer

let trainHelp = """
  OVERVIEW: Run PPO with token-level rewards from a seq2seq reward model (or the scalar baseline).

  The reward arm follows the reward run's kind: seq2seq runs give per-token scores from one
  teacher-forced pass (METHOD.md §2), scalar runs a score on the last response token. Policy,
  reward model and prompts must share the tokenizer (sha256) and special ids.

  USAGE: rmppo train --policy <sft-run> --reward <rm-run> --prompts <shards> -o <run-dir> [options]

  OPTIONS:
    --policy <dir>            SFT run (rmtrain sft) or rmppo train export: actor, frozen
                              reference and critic backbone
    --reward <dir>            Reward-model run (rmtrain seq2seq or rmtrain scalar)
    --prompts <dir>           Prompt shards (rmprep convert --targets prompts); train split used
    -o, --out <dir>           Run directory to write
    --iterations <n>          PPO iterations (default: 100)
    --batch-size <n>          Prompts per rollout batch (default: 64)
    --minibatch-size <n>      Rows per update minibatch (default: 16)
    --ppo-epochs <n>          Epochs over each rollout batch (default: 1)
    --max-new-tokens <n>      Longest response, EOS included (default: 32)
    --temperature <t>         Sampling temperature, also used for every log-probability (default: 1)
    --kl-coef <beta>          Per-token KL coefficient (default: 0.02)
    --reward-clip <c>         Clip rewards to ±c after the KL penalty (default: 50)
    --gamma <g>               Discount (default: 1)
    --gae-lambda <l>          GAE lambda (default: 0.95)
    --clip-range <e>          Policy ratio clip (default: 0.2)
    --value-clip <c>          Value clip around the rollout values (default: 5)
    --entropy-coef <c>        Entropy bonus (default: 0)
    --actor-lr <lr>           Actor learning rate, cosine with warmup (default: 0.0001)
    --critic-lr <lr>          Critic learning rate, constant (default: 0.00005)
    --warmup <f>              Warmup fraction of actor steps (default: 0.03)
    --grad-clip <n>           Gradient-norm clip (default: 1)
    --whiten-advantages       Whiten advantages per batch
    --normalize-rewards       Normalise RM scores with running mean/std (logged as reward/norm_*)
    --missing-eos-penalty <p> Scalar arm: subtracted when a response hits the cap (default: 0)
    --variant <A|B|C>         Seq2seq extraction variant (default: the reward run's, else A)
    --r-pos <r>               Score of an agreeing token (default: the reward run's, else 1)
    --r-neg <r>               Penalty of a diverging token (default: the reward run's, else 1)
    --divide-by-length        Divide seq2seq token scores by the response length
    --refusal-lexicon <file>  Log response/refusal_rate with this lexicon (one phrase a line)
    --sample-every <n>        Write samples/iteration-N.jsonl every n iterations (default: 10)
    --samples <n>             Responses per sample file (default: 8)
    --checkpoint-every <n>    Checkpoint every n iterations (default: 10)
    --resume                  Continue from <run-dir>/checkpoint, with the flags and inputs the
                              run started with (only --iterations may change)
    --overwrite               Start again in a directory that holds an interrupted run
    --seed <n>                Seed for prompts, sampling and shuffling (default: 1)
    --threads <n>             Engine threads (default: 1)
    --log-every <n>           Without a terminal, one stderr line every n iterations (default: 1)
    --progress                Draw the progress line even when stderr is not a terminal
    -h, --help                Show help information.

  EXIT STATUS: 0 success, 1 failure (mismatched inputs, non-finite loss, I/O), 64 usage error,
  130 interrupted (after writing a checkpoint).

  """

/// Runs `rmppo train`.
func runTrain(_ arguments: [String]) throws {
  let args = try Arguments(
    arguments,
    valued: [
      "policy", "reward", "prompts", "out", "iterations", "batch-size", "minibatch-size",
      "ppo-epochs", "max-new-tokens", "temperature", "kl-coef", "reward-clip", "gamma",
      "gae-lambda", "clip-range", "value-clip", "entropy-coef", "actor-lr", "critic-lr", "warmup",
      "grad-clip", "missing-eos-penalty", "variant", "r-pos", "r-neg", "refusal-lexicon",
      "sample-every", "samples", "checkpoint-every", "seed", "threads", "log-every",
    ],
    boolean: [
      "whiten-advantages", "normalize-rewards", "divide-by-length", "resume", "overwrite",
      "progress",
    ])
  if args.flag("help") {
    print(trainHelp, terminator: "")
    return
  }
  let config = try ppoConfig(from: args)
  let outPath = try args.required("out")
  if args.flag("resume") && args.flag("overwrite") {
    throw UsageError("give --resume or --overwrite, not both")
  }
  if !args.flag("resume") && !args.flag("overwrite"),
    let iteration = PPORun(path: outPath, settings: .null).interruptedIteration()
  {
    throw TrainingError.interruptedRunExists(path: outPath, progress: "iteration \(iteration)")
  }
  let sampleEvery: Int = try args.value("sample-every", default: 10)
  let sampleCount: Int = try args.value("samples", default: 8)
  let checkpointEvery: Int = try args.value("checkpoint-every", default: 10)
  let logEvery: Int = try args.value("log-every", default: 1)
  guard logEvery >= 1 else { throw UsageError("--log-every must be >= 1") }
  guard sampleEvery >= 0, sampleCount >= 0, checkpointEvery >= 0 else {
    throw UsageError("--sample-every, --samples and --checkpoint-every must be >= 0")
  }
  let progress = Progress(enabled: Progress.shouldShow(forced: args.flag("progress")))
  setThreadCount(try threadCount(args))
  var err = StandardError()

  // 1. Inputs, and every compatibility check before any work.
  let inputs = try CompatibleInputs(
    policyPath: try args.required("policy"),
    others: [("the reward model", try args.required("reward"), "reward", PolicyRun.rewardKinds)],
    promptsPath: try args.required("prompts"))
  let (policy, reward, promptData, tokenizer) =
    (inputs.policy, inputs.others[0], inputs.prompts, inputs.tokenizer)
  let specials = policy.specials
  let extraction = try extractionConfig(from: args, rewardRun: reward.path)
  let refusals = try refusalLexicon(args)
  let prompts = try PromptSet(
    dataset: promptData, split: .train,
    maxLength: policy.model.config.contextLength - config.maxNewTokens, specials: specials)
  if prompts.truncatedCount > 0 {
    err.write("rmppo: \(prompts.truncatedCount) prompts cut from the left to fit the context\n")
  }

  // 2. Networks: actor and critic from the SFT model (critic + fresh value head), frozen reference.
  let settings = runSettings(
    config: config, extraction: extraction, specials: specials,
    tokenizerSHA256: policy.tokenizerSHA256,
    lineage: [
      ("policy", policy.lineageJSON), ("reward", reward.lineageJSON),
      (
        "prompts",
        .object([
          (key: "path", value: .string(promptData.directory)),
          (
            key: "manifest_sha256",
            value: .string(
              SHA256.hash(try FileBytes.read(promptData.directory + "/manifest.json")).hex)
          ),
        ])
      ),
    ], rewardKind: reward.kind)
  let run = PPORun(path: outPath, settings: settings)
  var actorModel = policy.model.copy()
  var criticModel = policy.model.copy()
  criticModel.addValueHead(seed: config.seed &+ 17)
  var history: [JSONValue] = []  // metrics.jsonl lines
  var resumed: PPOTrainerState?
  if args.flag("resume") {
    let checkpoint = try run.loadCheckpoint()
    if let difference = resumeSettingDifference(saved: checkpoint.settings, current: settings) {
      throw TrainingError.incompatible(
        what: "setting \(difference.path) of the checkpoint in \(outPath) (resume with the flags "
          + "and inputs the run started with; only --iterations may change)",
        expected: difference.saved, found: difference.current)
    }
    (actorModel, criticModel, resumed) = (checkpoint.actor, checkpoint.critic, checkpoint.state)
    history = checkpoint.metricsLines
    err.write("rmppo: resuming \(outPath) after iteration \(checkpoint.state.iteration)\n")
  }
  let actorOptimizer = AdamW(
    model: actorModel, learningRate: config.actorLearningRate, betas: (0.9, 0.95), weightDecay: 0.01
  )
  let criticOptimizer = AdamW(
    model: criticModel, learningRate: config.criticLearningRate, betas: (0.9, 0.95), weightDecay: 0)
  if resumed != nil { try run.restoreOptimizers(actor: actorOptimizer, critic: criticOptimizer) }
  let scorer: any TokenScorer =
    reward.kind == "seq2seq"
    ? Seq2SeqTokenScorer(
      model: GPTNetwork(model: reward.model), specials: specials, config: extraction)
    : ScalarTokenScorer(
      model: GPTNetwork(model: reward.model, computesLogits: false), pad: specials.pad,
      missingEOSPenalty: config.missingEOSPenalty)
  let trainer = PPOTrainer(
    config: config, actor: GPTNetwork(model: actorModel, optimizer: actorOptimizer),
    reference: GPTNetwork(model: policy.model),
    critic: GPTNetwork(model: criticModel, optimizer: criticOptimizer, computesLogits: false),
    scorer: scorer, specials: specials)
  if let resumed {
    trainer.iteration = resumed.iteration
    trainer.updateStep = resumed.updateStep
    trainer.rewardStatistics = resumed.rewardStatistics
    trainer.negativeKLStreak = resumed.negativeKLStreak
  }
  try run.create()
  try run.writeTokenizer(tokenizer.serializedJSON())

  func checkpoint() throws {
    try run.saveCheckpoint(
      actor: actorModel, actorOptimizer: actorOptimizer, critic: criticModel,
      criticOptimizer: criticOptimizer,
      state: PPOTrainerState(
        iteration: trainer.iteration, updateStep: trainer.updateStep,
        rewardStatistics: trainer.rewardStatistics, negativeKLStreak: trainer.negativeKLStreak),
      history: history)
  }

  // 3. The loop: one PPO iteration, its metrics line, samples and checkpoints.
  while trainer.iteration < config.iterations {
    let batchPrompts = prompts.batch(
      iteration: trainer.iteration, size: config.rolloutBatchSize, seed: config.seed)
    var (batch, metrics) = try trainer.step(prompts: batchPrompts)
    if let refusals {
      let refused = batch.responses.filter {
        refusals.isRefusal(inputs.decode($0))
      }
      metrics.refusalRate = Double(refused.count) / Double(batch.rowCount)
    }
    history.append(metrics.jsonValue)
    try run.writeMetrics(history)
    // A terminal gets one redrawn line; a log gets a line every --log-every iterations.
    let line = progressLine(metrics, total: config.iterations)
    if progress.isEnabled {
      progress.update { line }
    } else if metrics.iteration % logEvery == 0 || metrics.iteration == config.iterations {
      err.write("rmppo: \(line)\n")
    }
    if !metrics.warnings.isEmpty { progress.finish() }
    for warning in metrics.warnings { err.write("rmppo: warning: \(warning)\n") }
    if sampleEvery > 0 && (metrics.iteration % sampleEvery == 0 || metrics.iteration == 1) {
      try run.writeSamples(
        iteration: metrics.iteration, batch: batch,
        decode: inputs.decode, limit: sampleCount)
    }
    batch.prompts = []
    if checkpointEvery > 0 && metrics.iteration % checkpointEvery == 0 { try checkpoint() }
    if Cancellation.isRequested {
      progress.finish(line)
      try checkpoint()
      throw Interrupted(
        detail: " after iteration \(metrics.iteration); checkpoint written, continue with --resume")
    }
  }

  // 4. Export the policy (HF layout + lineage) and a final checkpoint.
  try run.exportPolicy(actorModel, specials: specials)
  try checkpoint()
  progress.finish()
  err.write("rmppo: wrote \(outPath) (\(trainer.iteration) iterations)\n")
}

/// The response's tokens without special tokens (for decoding and refusal matching).
func withoutSpecials(_ tokens: [TokenID], _ specials: SpecialTokenIDs) -> [TokenID] {
  tokens.filter { !specials.all.contains($0) }
}

/// One stderr line per iteration with the headline metrics.
func progressLine(_ m: PPOMetrics, total: Int) -> String {
  func f(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return String(scaled)
  }
  var line = "iter \(m.iteration)/\(total) reward \(f(m.rewardMean)) kl \(f(m.kl)) "
  line += "len \(f(m.responseLengthMean)) entropy \(f(m.entropy)) clipfrac \(f(m.clipFraction)) "
  line += "vloss \(f(m.valueLoss))"
  if let refusal = m.refusalRate { line += " refusal \(f(refusal))" }
  return line
}
