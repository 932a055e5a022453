// enginebench: drives the Transformer engine for benchmarks and for the NumPy/PyTorch checks.
//   enginebench train    — training steps/s on synthetic tokens (forward + backward + AdamW)
//   enginebench generate — KV-cache generation tokens/s
//   enginebench sgemm    — measured sgemm GFLOP/s: square peak and the model's own shapes
//   enginebench reference — loss, logits, gradients and AdamW steps for a checkpoint + batch
// Output is one "key value" pair per line on stdout so scripts can grep it.

import CLISupport
import Transformer

#if canImport(Glibc)
  import Glibc
#endif

let help = """
  OVERVIEW: Benchmark and reference driver for the Transformer engine.

  USAGE: enginebench <train|generate|sgemm|reference> [options]

  OPTIONS:
    --layers N --heads N --width N --context N --vocab N   model shape (4 4 256 256 8192)
    --batch N              batch size (8)
    --steps N              timed steps (train: 5; reference: AdamW steps, 0)
    --threads N            engine threads (2)
    --prompt-length N      generate: prompt tokens (64)
    --new-tokens N         generate: new tokens per prompt (128)
    --checkpoint DIR       reference: model directory (config.json + model.safetensors)
    --input FILE           reference: safetensors with tokens, targets, weights (B, T) as F32
    --out FILE             reference: safetensors to write
    --save DIR             reference: also save the loaded model here (our writer)
    --lr X --weight-decay X  reference: AdamW settings (1e-3, 0.1)
    -h, --help             show this help

  EXIT STATUS: 0 on success, 1 on failure, 64 on usage errors.
  """

func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func modelConfig(_ args: Arguments) throws -> ModelConfig {
  ModelConfig(
    vocabularySize: try args.value("vocab", default: 8192), contextLength: try args.value("context", default: 256),
    layerCount: try args.value("layers", default: 4), headCount: try args.value("heads", default: 4),
    channelCount: try args.value("width", default: 256))
}

/// Model FLOPs per trained token: 6·(matmul parameters incl. the tied LM head) + 12·L·T·C
/// (attention scores and values, forward + backward, full-square count as in PaLM's MFU).
func trainingFlopsPerToken(_ c: ModelConfig, sequenceLength T: Int) -> Double {
  let C = Double(c.channelCount), L = Double(c.layerCount), V = Double(c.vocabularySize)
  return 6 * (12 * L * C * C + V * C) + 12 * L * Double(T) * C
}

func train(_ args: Arguments) throws {
  let config = try modelConfig(args)
  let B: Int = try args.value("batch", default: 8)
  let T = config.contextLength
  let steps: Int = try args.value("steps", default: 5)
  let model = GPTModel(config: config, seed: 1)
  let optimizer = AdamW(model: model, learningRate: 1e-4, betas: (0.9, 0.95), weightDecay: 0.1)
  var rng = SeededGenerator(seed: 2)
  let tokens = (0..<(B * T)).map { _ in Int32(rng.next() % UInt64(config.vocabularySize)) }
  var targets = tokens
  targets.removeFirst()
  targets.append(0)
  let weights = [Float](repeating: 1, count: B * T)
  var loss: Float = 0
  var phases = [Double](repeating: 0, count: 4)
  func step() {
    var t0 = now()
    func lap(_ i: Int) {
      let t1 = now()
      phases[i] += t1 - t0
      t0 = t1
    }
    tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    lap(0)
    loss = targets.withUnsafeBufferPointer { t in weights.withUnsafeBufferPointer { model.crossEntropy(targets: t, weights: $0) } }
    lap(1)
    model.zeroGradients()
    model.backward(dLogits: model.logitGradients, dValues: nil)
    lap(2)
    model.clipGradients(maxNorm: 1)
    optimizer.step()
    lap(3)
  }
  step()  // warm-up: allocates the activation arena
  phases = [0, 0, 0, 0]
  let start = now()
  for _ in 0..<steps { step() }
  let elapsed = now() - start
  let tokensPerSecond = Double(steps * B * T) / elapsed
  print("tokens_per_s \(tokensPerSecond)")
  print("step_s \(elapsed / Double(steps))")
  print("model_gflop_per_s \(tokensPerSecond * trainingFlopsPerToken(config, sequenceLength: T) / 1e9)")
  print("loss \(loss)")
  for (name, total) in zip(["forward", "cross_entropy", "backward", "optimizer"], phases) {
    print("phase_\(name)_s \(total / Double(steps))")
  }
}

func generateBench(_ args: Arguments) throws {
  let config = try modelConfig(args)
  let B: Int = try args.value("batch", default: 8)
  let P: Int = try args.value("prompt-length", default: 64)
  let N: Int = try args.value("new-tokens", default: 128)
  let model = GPTModel(config: config, seed: 1)
  var rng = SeededGenerator(seed: 3)
  let prompts = (0..<B).map { _ in (0..<P).map { _ in Int32(rng.next() % UInt64(config.vocabularySize)) } }
  let options = SamplingOptions(maxNewTokens: N, temperature: 0)
  _ = generate(model: model, prompts: [prompts[0]], options: SamplingOptions(maxNewTokens: 2, temperature: 0))
  let start = now()
  let out = generate(model: model, prompts: prompts, options: options)
  let elapsed = now() - start
  let produced = out.reduce(0) { $0 + $1.tokens.count }
  print("tokens_per_s \(Double(produced) / elapsed)")
  print("elapsed_s \(elapsed)")
}

func sgemm(_ args: Arguments) throws {
  let config = try modelConfig(args)
  let B: Int = try args.value("batch", default: 8)
  let peak = measuredPeakGFLOPS(size: 1536, repeats: 6)
  let shapes = trainingStepMatmulShapes(config: config, batchSize: B, sequenceLength: config.contextLength)
  let atShapes = measuredGFLOPS(shapes: shapes, repeats: 3)
  print("sgemm_peak_gflop_per_s \(peak)")
  print("sgemm_model_shapes_gflop_per_s \(atShapes)")
}

func reference(_ args: Arguments) throws {
  let model = try GPTModel.load(directory: try args.required("checkpoint"))
  if let save = args.string("save") { try model.save(directory: save) }
  let (inputs, _) = try SafeTensorsFile.read(path: try args.required("input"))
  guard let tokenTensor = inputs["tokens"], let targetTensor = inputs["targets"], let weightTensor = inputs["weights"],
    tokenTensor.shape.count == 2
  else { throw UsageError("--input needs tokens, targets, weights of shape (B, T)") }
  let (B, T) = (tokenTensor.shape[0], tokenTensor.shape[1])
  let tokens = tokenTensor.values.map { Int32($0) }
  let targets = targetTensor.values.map { Int32($0) }
  let weights = weightTensor.values
  let steps: Int = try args.value("steps", default: 0)
  let optimizer = AdamW(
    model: model, learningRate: try args.value("lr", default: 1e-3), betas: (0.9, 0.999), epsilon: 1e-8,
    weightDecay: try args.value("weight-decay", default: 0.1))
  var losses: [Float] = []
  var firstLogits: [Float] = []
  var firstGradients: [String: [Float]] = [:]
  for step in 0...steps {
    tokens.withUnsafeBufferPointer { model.forward(tokens: $0, batchSize: B, sequenceLength: T) }
    let loss = targets.withUnsafeBufferPointer { t in weights.withUnsafeBufferPointer { model.crossEntropy(targets: t, weights: $0) } }
    losses.append(loss)
    model.zeroGradients()
    model.backward(dLogits: model.logitGradients, dValues: nil)
    if step == 0 {
      firstLogits = Array(model.logits)
      for entry in model.layout.entries { firstGradients[entry.name] = Array(model.gradients[entry.view]) }
    }
    if step < steps { optimizer.step() }
  }
  var tensors: [(String, [Int], [Float])] = [
    ("loss", [losses.count], losses), ("logits", [B, T, model.config.vocabularySize], firstLogits),
  ]
  for entry in model.layout.entries {
    tensors.append(("grad." + entry.name, entry.view.shape, firstGradients[entry.name]!))
    tensors.append(("final." + entry.name, entry.view.shape, Array(model.parameters[entry.view])))
  }
  try writeTensors(path: try args.required("out"), tensors)
}

func writeTensors(path: String, _ tensors: [(String, [Int], [Float])]) throws {
  var pointers: [UnsafeMutableBufferPointer<Float>] = []
  defer { for p in pointers { p.deallocate() } }
  var list: [(name: String, shape: [Int], values: UnsafeBufferPointer<Float>)] = []
  for (name, shape, values) in tensors {
    let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: values.count)
    _ = p.initialize(from: values)
    pointers.append(p)
    list.append((name, shape, UnsafeBufferPointer(p)))
  }
  try SafeTensorsFile.write(path: path, tensors: list, metadata: [:])
}

/// Parses a subcommand's options; prints the help and returns nil for --help.
func parse(_ arguments: [String]) throws -> Arguments? {
  let args = try Arguments(
    arguments,
    valued: [
      "layers", "heads", "width", "context", "vocab", "batch", "steps", "threads", "prompt-length", "new-tokens",
      "checkpoint", "input", "out", "save", "lr", "weight-decay",
    ], boolean: ["help"])
  if args.flag("help") {
    print(help)
    return nil
  }
  setThreadCount(try args.value("threads", default: 2))
  return args
}

Tool(
  name: "enginebench", version: "0.1", overview: "Benchmark and reference driver for the Transformer engine.",
  subcommands: [
    Subcommand("train", "Training tokens/s on synthetic data.") { if let a = try parse($0) { try train(a) } },
    Subcommand("generate", "KV-cache generation tokens/s.") { if let a = try parse($0) { try generateBench(a) } },
    Subcommand("sgemm", "Measured sgemm GFLOP/s (peak and model shapes).") { if let a = try parse($0) { try sgemm(a) } },
    Subcommand("reference", "Loss, logits, gradients, AdamW steps for a checkpoint.") {
      if let a = try parse($0) { try reference(a) }
    },
  ]
).main()
