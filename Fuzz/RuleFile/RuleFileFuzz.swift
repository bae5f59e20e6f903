import FuzzSupport
import PatternScoring

// Surface: the rule-file parser (`--rules FILE`): RuleSetLoader over YAML (Yams), the condition
// expressions and the rule checks. Hyperscan compilation is left out (seconds per input).
// Property: any bytes give a RuleSet or a RuleError, never a crash or trap.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let yaml = String(decoding: FuzzInput(data, size).rest, as: UTF8.self)
    _ = try? RuleSetLoader.load(yaml: yaml)
    return 0
}
