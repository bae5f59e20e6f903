import ArgumentParser
import Foundation
import LabelPipeline

/// `afscan`: label alignment-faking rollouts at archive scale.
@main
struct AfscanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "afscan",
        abstract: "Label LLM reasoning transcripts (alignment faking, refusal/compliance) in zstd rollout archives.",
        discussion: """
        Exit codes: 0 every record labelled; 1 some records or inputs rejected (the run went on);
        2 fatal (unwritable output, invalid rules); 64 usage; 130/143/129 interrupted (SIGINT/SIGTERM/SIGHUP).
        """,
        version: AfscanVersion.string,
        subcommands: [Label.self, Follow.self, Summary.self, Merge.self, Export.self, Eval.self, Compare.self, Show.self, Report.self, Train.self, ModelCommand.self, Rules.self, Generate.self, Bench.self],
        defaultSubcommand: nil
    )

    /// Occupies closed standard descriptors (`StandardStreams.secure()`), then ignores SIGPIPE before
    /// anything is written: a closed stdout or stderr becomes an EPIPE error
    /// (rows to a closed pipe end the run with 0, as ripgrep does) instead of killing the process.
    static func main() {
        StandardStreams.secure()
        Interrupts.install()
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let message = unknownSubcommandMessage(arguments) {
            Stderr.line(message)
            Foundation.exit(64)
        }
        Self.main(arguments)
    }

    /// The subcommand names `afscan NAME` accepts (and `help`).
    static var subcommandNames: [String] {
        configuration.subcommands.map { $0._commandName } + ["help"]
    }

    /// The usage error for `afscan NAME …` when NAME is no subcommand (ArgumentParser alone says
    /// "2 unexpected arguments"), with the closest name when one is near; nil when the first argument is
    /// an option, a subcommand, or absent.
    static func unknownSubcommandMessage(_ arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !subcommandNames.contains(first) else { return nil }
        let names = subcommandNames.filter { $0 != "help" }
        let closest = names.map { (name: $0, distance: editDistance($0, first)) }.min { $0.distance < $1.distance }
        let hint = closest.flatMap { $0.distance <= max(1, first.count / 3) ? " (did you mean '\($0.name)'?)" : nil } ?? ""
        return "afscan: unknown subcommand '\(first)'\(hint); the subcommands are \(names.joined(separator: ", ")); see afscan --help"
    }
}

/// Levenshtein distance between two strings, in characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(b.count, 1) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}
