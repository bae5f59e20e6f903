import Foundation
import LabelSinks
import Prometheus

/// `--metrics run.prom`: the run in the Prometheus text exposition format, for node_exporter's textfile
/// collector (written atomically, so the collector never reads half a file). Rendered by swift-prometheus
/// (`PrometheusCollectorRegistry`), which validates names and escapes label values.
///
/// Series (all gauges or counters of this one run; `group_*` labels are the `--group-by` paths with every
/// character outside `[A-Za-z0-9_]` written `_`, a missing value as `-`):
/// - `afscan_records_total{status="labelled"|"rejected"}`, `afscan_rejected_records_total{reason}`,
///   `afscan_decompressed_bytes_total`, `afscan_inputs_total{status="ok"|"fault"}`;
/// - `afscan_run_duration_seconds`, `afscan_run_exit_status`, `afscan_run_finished_timestamp_seconds`,
///   `afscan_run_published` (1 when the outputs were published);
/// - per group and condition: `afscan_rate{rate, condition, group_*}` (k/n), with
///   `afscan_rate_numerator` (k) and `afscan_rate_denominator` (n), so that rates can be re-aggregated;
/// - per group: `afscan_compliance_gap{variant="strict"|"broad", group_*}` (unmonitored minus training
///   non-compliance, as in the summary) with `afscan_compliance_gap_lower`/`_upper` (Newcombe 95%).
public enum RunMetrics {
    /// The exposition text for `manifest` and, when the run summarised its rows, `summary`.
    /// - Parameter alerts: `afscan follow`'s alert rules → times they fired, as `afscan_alerts_total{rule}`.
    public static func render(_ manifest: RunManifest, summary: Summary?, alerts: [String: Int] = [:]) -> String {
        let registry = PrometheusCollectorRegistry()
        for (rule, n) in alerts.sorted(by: { $0.key < $1.key }) {
            registry.makeCounter(descriptor: metric("alerts_total", "Alerts fired by afscan follow, by rule."), labels: [("rule", rule)])
                .increment(by: Int64(n))
        }
        let records = "Records read, by outcome."
        registry.makeCounter(descriptor: metric("records_total", records), labels: [("status", "labelled")]).increment(by: Int64(manifest.labelled))
        registry.makeCounter(descriptor: metric("records_total", records), labels: [("status", "rejected")]).increment(by: Int64(manifest.rejected))
        for (reason, n) in manifest.rejectedByReason.sorted(by: { $0.key < $1.key }) {
            registry.makeCounter(descriptor: metric("rejected_records_total", "Rejected records, by reason."), labels: [("reason", reason)])
                .increment(by: Int64(n))
        }
        registry.makeCounter(descriptor: metric("decompressed_bytes_total", "Decompressed bytes read over all inputs."))
            .increment(by: manifest.bytes)
        let faults = manifest.inputs.filter { $0.fault != nil }.count
        let inputs = "Inputs read, by whether a fault ended them early."
        registry.makeCounter(descriptor: metric("inputs_total", inputs), labels: [("status", "ok")]).increment(by: Int64(manifest.inputs.count - faults))
        registry.makeCounter(descriptor: metric("inputs_total", inputs), labels: [("status", "fault")]).increment(by: Int64(faults))
        registry.makeGauge(descriptor: metric("run_duration_seconds", "Wall time of the run, in seconds."))
            .set(manifest.finished.timeIntervalSince(manifest.started))
        registry.makeGauge(descriptor: metric("run_exit_status", "The run's exit status (0 all labelled, 1 some rejected)."))
            .set(Double(manifest.exitStatus))
        registry.makeGauge(descriptor: metric("run_finished_timestamp_seconds", "When the run ended, in seconds since the Unix epoch."))
            .set(manifest.finished.timeIntervalSince1970)
        registry.makeGauge(descriptor: metric("run_published", "1 when the run's outputs were published, 0 when it was interrupted."))
            .set(manifest.published ? 1.0 : 0.0)
        if let summary {
            // Two paths can map to one label name (`a.b`, `a_b`): later ones get _2, _3 (a repeated label
            // name makes the whole file invalid for a Prometheus parser).
            var names: [String] = []
            for path in summary.groupBy {
                var name = labelName(path), n = 2
                while names.contains(name) || ["rate", "condition", "variant"].contains(name) {
                    name = labelName(path) + "_\(n)"
                    n += 1
                }
                names.append(name)
            }
            func groupLabels(_ values: [String?]) -> [(String, String)] {
                zip(names, values).map { ($0, $1 ?? "-") }
            }
            for group in summary.groups {
                let base = [("condition", group.condition.rawValue)] + groupLabels(group.groupValues)
                for (name, rate) in group.rates.named {
                    let labels = [("rate", name)] + base
                    if let r = rate.rate {
                        registry.makeGauge(descriptor: metric("rate", "A summary rate k/n per group and condition."), labels: labels).set(r)
                    }
                    registry.makeGauge(descriptor: metric("rate_numerator", "k of a summary rate."), labels: labels).set(Double(rate.k))
                    registry.makeGauge(descriptor: metric("rate_denominator", "n of a summary rate."), labels: labels).set(Double(rate.n))
                }
            }
            for gap in summary.gaps {
                for (variant, estimate) in [("strict", gap.strict), ("broad", gap.broad)] {
                    let labels = [("variant", variant)] + groupLabels(gap.groupValues)
                    let d = estimate.difference
                    guard let g = d.estimate, let lo = d.lo, let hi = d.hi else { continue }
                    registry.makeGauge(descriptor: metric("compliance_gap", "Compliance gap: unmonitored minus training non-compliance."), labels: labels).set(g)
                    registry.makeGauge(descriptor: metric("compliance_gap_lower", "Newcombe 95% lower bound of the compliance gap."), labels: labels).set(lo)
                    registry.makeGauge(descriptor: metric("compliance_gap_upper", "Newcombe 95% upper bound of the compliance gap."), labels: labels).set(hi)
                }
            }
        }
        return sorted(registry.emitToString())
    }

    /// The exposition text with its families in name order and each family's samples sorted (the
    /// registry emits them in hash order, which differs from run to run: nightly diffs would be noise).
    static func sorted(_ text: String) -> String {
        var families: [(name: String, header: [Substring], samples: [Substring])] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") {
                families.append((String(line.split(separator: " ")[2]), [line], []))
            } else if line.hasPrefix("#") {
                if families.isEmpty { families.append(("", [], [])) }
                families[families.count - 1].header.append(line)
            } else {
                if families.isEmpty { families.append(("", [], [])) }
                families[families.count - 1].samples.append(line)
            }
        }
        return families.sorted { $0.name < $1.name }
            .map { ($0.header + $0.samples.sorted()).joined(separator: "\n") }.joined(separator: "\n") + "\n"
    }

    /// The descriptor of `afscan_NAME` (the library wants a unit part; the whole name goes in `metricName`).
    static func metric(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "afscan", metricName: name, unitName: "", helpText: help)
    }

    /// `group_` + the dotted path with every character outside `[A-Za-z0-9_]` as `_` (a valid label name).
    static func labelName(_ path: String) -> String {
        "group_" + String(path.unicodeScalars.map { s -> Character in
            let v = s.value
            let ok = (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || v == 0x5F
            return ok ? Character(s) : "_"
        })
    }
}
