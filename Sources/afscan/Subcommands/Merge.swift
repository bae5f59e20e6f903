import ArchiveIO
import ArgumentParser
import Foundation
import LabelPipeline
import LabelSinks

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the outputs of shards (label --shard K/N) exactly: label rows, or summaries.",
        discussion: """
        Give either every shard's label rows or every shard's summary JSON, not a mix (a shard given both \
        ways would count twice). Label rows are copied in operand order to -o and summarised; summaries are \
        read back into counts and summed. Either way rates, intervals, gaps and the adjusted prevalence are \
        recomputed from the merged counts, never averaged. Shards labelled with different rules or models, \
        or (summaries) grouped by different paths, are refused.
        Exit codes: 0 merged; 1 some rows or inputs could not be read (the rest merged); 2 the shards \
        cannot be merged; 64 usage.
        """
    )

    @Argument(help: "The shards' label files (plain or .zst; directories walked) or their summary JSON files.")
    var shards: [String] = []

    @Option(name: [.short, .long], help: ArgumentHelp("Write the merged label rows here (atomically; .zst compresses). Label rows only.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write the merged summary JSON here (atomically). Without -o or --summary the merge goes to stdout: rows for label files, the summary for summaries.", valueName: "file"))
    var summary: String?

    @Option(name: .customLong("group-by"), help: ArgumentHelp("For label rows: dotted paths into the rows to group the merged summary by (as summary --group-by); repeat to add more.", valueName: "paths"))
    var groupBy: [String] = []

    @Option(help: ArgumentHelp("The model that made the rows (a model file, or default), for the adjusted AF prevalence; as for summary --model.", valueName: "model"))
    var model: String?

    @Flag(name: [.short, .long], help: "No table on stderr.")
    var quiet = false

    func validate() throws {
        if shards.isEmpty { throw ValidationError("name the shards' label files or summaries") }
        try checkOutputs([("--output", output), ("--summary", summary)], inputs: shards)
    }

    func run() throws {
        Stderr.quiet = quiet
        let started = Date()
        // A shard given twice (the same file, or a copy) would be counted twice: never what a merge means.
        let duplicates = DuplicateInputs.find(shards.filter { $0 != "-" && !isDirectory($0) }.map { InputSpec(path: $0) })
        if let pair = duplicates.first {
            Stderr.line("afscan: cannot merge: \(pair.message); give each shard once")
            throw ExitCode(2)
        }
        let summaries = shards.map(Self.readSummary)
        let report: LabelSinks.Summary
        if summaries.allSatisfy({ $0 != nil }) {
            if output != nil {
                Stderr.line("afscan: merge: -o writes merged label rows, and these are summaries; use --summary FILE")
                throw ExitCode(64)
            }
            report = try mergeSummaries(summaries.map { $0! }, started: started)
        } else if summaries.allSatisfy({ $0 == nil }) {
            report = try mergeRows(started: started)
        } else {
            let names = zip(shards, summaries).filter { $0.1 != nil }.map(\.0)
            Stderr.line("afscan: merge: give every shard's label rows or every shard's summary, not both (summaries: \(names.joined(separator: ", ")))")
            throw ExitCode(64)
        }
        if !quiet { Stderr.write(report.renderTable()) }
    }

    /// The summary JSON object in `path`, or nil when the file is not one (label rows, or unreadable:
    /// then it is read as label rows and its fault reported there).
    static func readSummary(_ path: String) -> [String: Any]? {
        guard let object = summaryJSON(at: path), object["schema"] != nil else { return nil }
        return object
    }

    private func mergeSummaries(_ objects: [[String: Any]], started: Date) throws -> LabelSinks.Summary {
        var merged: SummaryAccumulator?
        var runs: [[String: Any]] = []
        var corrected: [ClassifierAccuracy?] = [], adjusted: [(accuracy: ClassifierAccuracy, modelHash: String?)?] = []
        for (name, object) in zip(shards, objects) {
            let acc: SummaryAccumulator
            do {
                acc = try SummaryAccumulator(summaryJSON: object)
                // A shard that got no rows (every input hashed to other shards) has no groups, hence no
                // prevalence entries: it says nothing about them.
                if !((object["groups"] as? [Any])?.isEmpty ?? true) {
                    corrected.append(try LabelSinks.Summary.accuracy(in: object, key: "prevalence_corrected")?.accuracy)
                    adjusted.append(try LabelSinks.Summary.accuracy(in: object, key: "prevalence_adjusted"))
                }
            } catch {
                Stderr.line("afscan: \(name): \(error)")
                throw ExitCode(2)
            }
            if let m = merged, m.groupBy != acc.groupBy {
                Stderr.line("afscan: cannot merge: \(name) is grouped by [\(acc.groupBy.joined(separator: ", "))], \(shards[0]) by [\(m.groupBy.joined(separator: ", "))]")
                throw ExitCode(2)
            }
            if object["pairs"] != nil && !quiet {
                Stderr.line("afscan: note: \(name) holds pairs (summary --pair-by); prompt pairs cannot be merged from summaries: merge the label rows and run summary --pair-by")
            }
            merged.map { m in var m = m; m.merge(acc); merged = m } ?? { merged = acc }()
            runs.append(object["run"] as? [String: Any] ?? [:])
        }
        try checkShards(runs)
        // af.goal_guarding made by the model in some shards and by the rules (--model none) in others.
        // Rows of --model none name no engine for it: such a shard counts as "rules".
        let engines = Set(objects.flatMap { o -> [String] in
            let groups = (o["groups"] as? [[String: Any]]) ?? []
            guard !groups.isEmpty else { return [] }
            let named = groups.flatMap { g in
                (((g["label_sources"] as? [String: Any])?["af.goal_guarding"] as? [String: Any]) ?? [:]).keys.filter { $0 != "judge" }
            }
            return named.isEmpty ? ["rules"] : named
        })
        try refuseMixed(engines, what: "scorers of af.goal_guarding (model = the learned model, rules = --model none)")
        let rulesHashes = Set(runs.map { $0["rules_hash"] as? String ?? "" })
        try refuseMixed(rulesHashes.filter { !$0.isEmpty }, what: "rule sets")
        let modelHashes = Set(adjusted.compactMap { $0?.modelHash })
        try refuseMixed(modelHashes, what: "models")
        var report = merged!.makeSummary(run: mergedRunInfo(runs, started: started))
        if Set(corrected.map { $0.map { "\($0.sensitivity)/\($0.specificity)" } ?? "-" }).count == 1 { report.classifierAccuracy = corrected.first ?? nil }
        if !adjusted.isEmpty && adjusted.allSatisfy({ $0 != nil }) {
            report.modelAccuracy = try modelAccuracy(forRowsOf: modelHashes, model: model)
        } else if adjusted.contains(where: { $0 != nil }) {
            Stderr.line("afscan: note: only some shards have an adjusted prevalence (the others were labelled without a model, or hold judge verdicts); the merge has none")
        }
        try publish(rows: nil, report: report)
        return report
    }

    private func mergeRows(started: Date) throws -> LabelSinks.Summary {
        var notes: [String] = []
        let (specs, faults) = try expandInputs(shards, outputs: [("--output", output), ("--summary", summary)], notes: &notes)
        for note in notes where !quiet { Stderr.line("afscan: \(note)") }
        let groups = splitList(groupBy)
        var acc = SummaryAccumulator(groupBy: groups)
        var rulesHashes = Set<String>(), modelHashes = Set<String>()
        var rowsWithoutModel = 0
        let rows: OutputSink? = summary == nil || output != nil ? try OutputSink(path: output ?? "-") : nil
        var writeError: Error?
        let bad = readLabelRows(specs, groupBy: groups) { line, obj, row in
            if let h = obj["rules_hash"] as? String { rulesHashes.insert(h) }
            if let h = obj["model_hash"] as? String { modelHashes.insert(h) } else if obj["status"] as? String == "ok" { rowsWithoutModel += 1 }
            acc.add(row)
            // The row's own bytes: merged rows are byte-identical to the shards'.
            if let rows, writeError == nil {
                do { try rows.write(line + Data([0x0A])) } catch { writeError = error }
            }
        }
        if let writeError { fatal("cannot write the merged rows: \(writeError)") }
        do {
            try refuseMixed(rulesHashes, what: "rule sets")
            try refuseMixed(modelHashes.union(rowsWithoutModel > 0 && !modelHashes.isEmpty ? ["none"] : []), what: "models")
        } catch {
            rows?.abort()
            throw error
        }
        let info = RunInfo(afscanVersion: AfscanVersion.string, rulesHash: rulesHashes.first, inputs: specs.map(\.displayName),
                           groupBy: groups, started: started, finished: Date(), threads: 1)
        var report = acc.makeSummary(run: info)
        if rowsWithoutModel == 0 { report.modelAccuracy = try modelAccuracy(forRowsOf: modelHashes, model: model) }
        try publish(rows: rows, report: report)
        if bad + faults.count > 0 { throw ExitCode(1) }
        return report
    }

    /// Shards of one `--shard K/N` job: the same N and operands, each K once; a K missing is a warning
    /// (that shard may have failed), a summary without `--shard` among sharded ones an error.
    private func checkShards(_ runs: [[String: Any]]) throws {
        let shards = runs.map { $0["shard"] as? String }
        guard shards.contains(where: { $0 != nil }) else { return }
        func fail(_ why: String) throws -> Never {
            Stderr.line("afscan: cannot merge: \(why)")
            throw ExitCode(2)
        }
        let parsed = try zip(shards, shards.indices).map { s, i -> (k: Int, n: Int) in
            guard let s, let k = ShardPlan.Shard(s) else { try fail("\(self.shards[i]) is not a --shard run, the others are") }
            return (k.index, k.count)
        }
        let counts = Set(parsed.map(\.n))
        if counts.count > 1 { try fail("the summaries come from splits into different numbers of shards (\(counts.sorted().map(String.init).joined(separator: ", ")))") }
        let operands = Set(runs.map { $0["shard_operands"] as? String ?? "" })
        if operands.count > 1 { try fail("the shards were given different operands (each shard must get the same inputs in the same order)") }
        var seen = Set<Int>()
        for (i, p) in parsed.enumerated() where !seen.insert(p.k).inserted {
            try fail("shard \(p.k)/\(p.n) is given twice (\(self.shards[i]))")
        }
        let missing = (0..<parsed[0].n).filter { !seen.contains($0) }
        if !missing.isEmpty {
            Stderr.line("afscan: warning: shards \(missing.map { "\($0)/\(parsed[0].n)" }.joined(separator: ", ")) are missing: the merge covers \(seen.count) of \(parsed[0].n) shards")
        }
    }

    private func refuseMixed(_ hashes: Set<String>, what: String) throws {
        guard hashes.count > 1 else { return }
        Stderr.line("afscan: cannot merge: the shards were labelled with \(hashes.count) different \(what) (\(hashes.sorted().map { $0.count > 12 ? String($0.prefix(12)) + "…" : $0 }.joined(separator: ", "))); relabel them with one")
        throw ExitCode(2)
    }

    /// The merged run block: the shards' inputs and input faults in shard order, the earliest start and
    /// latest finish, the largest thread count.
    private func mergedRunInfo(_ runs: [[String: Any]], started: Date) -> RunInfo {
        let iso = ISO8601DateFormatter()
        let starts = runs.compactMap { ($0["started"] as? String).flatMap(iso.date) }
        let ends = runs.compactMap { ($0["finished"] as? String).flatMap(iso.date) }
        var info = RunInfo(afscanVersion: AfscanVersion.string, rulesHash: runs.first?["rules_hash"] as? String,
                           inputs: runs.flatMap { $0["inputs"] as? [String] ?? [] }, groupBy: runs.first?["group_by"] as? [String] ?? [],
                           started: starts.min() ?? started, finished: ends.max() ?? Date(),
                           threads: runs.compactMap { $0["threads"] as? Int }.max() ?? 1,
                           rulesName: runs.first?["rules_name"] as? String)
        info.inputFaults = runs.flatMap { $0["input_faults"] as? [String] ?? [] }
        return info
    }

    /// Writes the rows (already streamed into `rows`) and the summary, publishing both only when both
    /// are written.
    private func publish(rows: OutputSink?, report: LabelSinks.Summary) throws {
        let data = try report.jsonData()
        let summaryFile = (summary != nil || rows == nil) ? try OutputSink(path: summary ?? "-", compressed: false) : nil
        do {
            try summaryFile?.write(data)
            try rows?.prepare()
            try summaryFile?.prepare()
            try rows?.publish()
            try summaryFile?.publish()
        } catch { fatal("cannot write the merge: \(error)") }
    }
}
