import ArgumentParser
import LabelSinks

/// Reads `--verdicts FILE` for `train` and `eval`: names each bad line on stderr (at most 20, then a
/// count of the rest) and returns the verdicts of `label`. A file that cannot be read is fatal (exit 2).
func loadVerdicts(_ path: String, threshold: Double, label: String, maxWindowLog: Int) -> VerdictMatcher {
    VerdictMatcher(readVerdictFile(path, threshold: threshold, maxWindowLog: maxWindowLog), label: label)
}

/// Reads a verdict file for `--verdicts`: an unreadable file ends the run (exit 2); bad lines are named
/// on stderr (at most 20, then a count) and left out of the file's verdicts.
func readVerdictFile(_ path: String, threshold: Double, maxWindowLog: Int) -> VerdictFile {
    let file: VerdictFile
    do { file = try VerdictFile.load(path: path, threshold: threshold, maxWindowLog: maxWindowLog) } catch {
        fatal("--verdicts: \(error)")
    }
    for problem in file.problems.prefix(20) { Stderr.line("afscan: \(problem)") }
    if file.problems.count > 20 { Stderr.line("afscan: \(path): \(file.problems.count - 20) more bad verdict lines not shown") }
    return file
}
