// Token + position embedding: x[b, t, :] = wte[token[b, t], :] + wpe[t, :].
// Shapes: tokens (B, T) Int32; wte (V, C); wpe (maxT, C); out, dOut (B, T, C).
// Backward scatters into the embedding tables; rows are visited in order for each channel
// block, so the sums are deterministic at any thread count.

/// out[b, t] = wte[tokens[b, t]] + wpe[t]. Reference: GPT-2 `wte(idx) + wpe(pos)`.
func encoderForward(
  _ out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>, wte: UnsafePointer<Float>,
  wpe: UnsafePointer<Float>, batch B: Int, time T: Int, channels C: Int
) {
  parallelFor(B * T, grain: 32) { range in
    for row in range {
      let t = row % T
      let token = wte + Int(tokens[row]) * C
      let position = wpe + t * C
      let x = out + row * C
      for i in 0..<C { x[i] = token[i] + position[i] }
    }
  }
}

/// dWte[tokens[b, t]] += dOut[b, t]; dWpe[t] += dOut[b, t].
func encoderBackward(
  dWte: UnsafeMutablePointer<Float>, dWpe: UnsafeMutablePointer<Float>,
  dOut: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, batch B: Int, time T: Int,
  channels C: Int
) {
  let blocks = (C + 31) / 32
  parallelFor(blocks) { range in
    let start = range.lowerBound * 32
    let end = min(C, range.upperBound * 32)
    for row in 0..<(B * T) {
      let t = row % T
      let d = dOut + row * C
      let token = dWte + Int(tokens[row]) * C
      let position = dWpe + t * C
      for i in start..<end {
        token[i] += d[i]
        position[i] += d[i]
      }
    }
  }
}
