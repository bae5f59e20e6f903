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
        subcommands: [Label.self, Summary.self, Eval.self, Train.self, ModelCommand.self, Rules.self, Generate.self, Bench.self],
        defaultSubcommand: nil
    )

    /// Occupies closed standard descriptors (`StandardStreams.secure()`), then ignores SIGPIPE before
    /// anything is written: a closed stdout or stderr becomes an EPIPE error
    /// (rows to a closed pipe end the run with 0, as ripgrep does) instead of killing the process.
    static func main() {
        StandardStreams.secure()
        Interrupts.install()
        signal(SIGPIPE, SIG_IGN)
        Self.main(nil)
    }
}
