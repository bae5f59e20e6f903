import Foundation
import FuzzSupport
import TokenModel

// Surface: the model-file parser (`--model FILE`): ModelFile.decode, then LinearModel's checks.
// Property: any bytes give a model or a ModelFileError, never a crash or trap; an accepted file
// re-encodes and decodes again.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Data(FuzzInput(data, size).rest)
    guard let file = try? ModelFile.decode(bytes, source: "fuzz") else { return 0 }
    _ = try? LinearModel(file, source: "fuzz")
    guard let encoded = try? file.encoded() else { fuzzFailure("ModelFile", "an accepted model file does not encode") }
    do {
        _ = try ModelFile.decode(encoded, source: "fuzz re-encoded")
    } catch {
        fuzzFailure("ModelFile", "an accepted model file, re-encoded (\(encoded.count) bytes), is refused: \(error.message)")
    }
    return 0
}
