// Every way reading or writing a checkpoint (safetensors + config.json) can fail, with the
// path and the tensor or byte offset involved, and what to do about it.

#if canImport(Glibc)
import Glibc
#endif

/// Errors of checkpoint I/O. One case per remedy; location as typed fields.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened, read or written (errno).
  case io(path: String, operation: String, errno: Int32)
  /// The file is shorter than its header says (cut-off copy or interrupted write).
  case truncated(path: String, expectedBytes: Int, foundBytes: Int)
  /// The safetensors header is not valid (bad length, JSON, offsets).
  case badHeader(path: String, detail: String)
  /// A tensor has a dtype we do not read.
  case unsupportedDType(path: String, tensor: String, dtype: String)
  /// A tensor the model needs is absent.
  case missingTensor(path: String, tensor: String)
  /// A tensor has the wrong shape for the config.
  case shapeMismatch(path: String, tensor: String, expected: [Int], found: [Int])
  /// config.json is missing a key or describes a model we do not support.
  case badConfig(path: String, detail: String)

  public var description: String {
    switch self {
    case .io(let path, let operation, let errno):
      return "\(path): cannot \(operation): \(String(cString: strerror(errno)))"
    case .truncated(let path, let expected, let found):
      return "\(path): truncated: \(found) bytes, the header needs \(expected); "
        + "the file was cut off or not fully written, copy or save it again"
    case .badHeader(let path, let detail):
      return "\(path): not a valid safetensors file: \(detail)"
    case .unsupportedDType(let path, let tensor, let dtype):
      return "\(path): tensor \(tensor) has dtype \(dtype); only F32 is read "
        + "(save with torch_dtype=float32)"
    case .missingTensor(let path, let tensor):
      return "\(path): tensor \(tensor) is missing; is this a GPT-2 checkpoint for this config?"
    case .shapeMismatch(let path, let tensor, let expected, let found):
      return "\(path): tensor \(tensor) has shape \(found), config.json implies \(expected); "
        + "config.json and the weights do not belong together"
    case .badConfig(let path, let detail):
      return "\(path): \(detail)"
    }
  }
}
