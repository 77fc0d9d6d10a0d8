import Foundation
import VigilModel

/// Percentages are between 0 and 100: a threshold of 950 on `cpu_percent` never fires.
struct ThresholdRangeRule: PolicyRule {
    static let descriptor = RuleDescriptor(
        id: "policy/threshold-range",
        summary: "thresholds on percentage metrics lie between 0 and 100",
        rationale: "A percentage threshold outside 0–100 is a typo that makes the alert silent forever.",
        passingExamples: [PolicyExamples.root(baseline: "alerts:\n  cpu:\n" + PolicyExamples.alert())],
        failingExamples: [
            PolicyExamples.root(baseline: "alerts:\n  cpu:\n" + PolicyExamples.alert().replacingOccurrences(of: "threshold: 90", with: "threshold: ↓950"))
        ])

    /// Metric names that measure a percentage.
    static func isPercentage(_ metric: String) -> Bool {
        let name = metric.lowercased()
        return name.contains("percent") || name == "availability"
    }

    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding] {
        environment.alerts.compactMap { alert in
            guard case .metric(let metric) = alert.criteria, Self.isPercentage(metric.metric),
                case .fixed(_, let value) = metric.threshold, value < 0 || value > 100
            else { return nil }
            return finding(
                alert.id, "alert '\(alert.id)' compares the percentage '\(metric.metric)' with \(CanonicalValue.format(value))",
                at: alert.provenance.location(of: "metric.threshold") ?? alert.provenance.definedAt,
                hint: "percentages lie between 0 and 100")
        }
    }
}
