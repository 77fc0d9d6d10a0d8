import Foundation
import VigilModel

/// An alert looks back at least as far as it is evaluated, so no data falls between two runs.
struct WindowFrequencyRule: PolicyRule {
    static let descriptor = RuleDescriptor(
        id: "policy/window-frequency",
        summary: "an alert's window is at least its evaluation frequency",
        rationale: "A 5-minute window evaluated every 15 minutes never looks at two thirds of the data.",
        passingExamples: [PolicyExamples.root(baseline: logAlert(window: "15m", frequency: "5m"))],
        failingExamples: [PolicyExamples.root(baseline: logAlert(window: "↓5m", frequency: "15m"))])

    static func logAlert(window: String, frequency: String) -> String {
        LogTableCollectedRule.collected
            + LogTableCollectedRule.logAlert("AzureDiagnostics").replacingOccurrences(
                of: "window: 15m, frequency: 5m", with: "window: \(window), frequency: \(frequency)")
    }

    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding] {
        environment.alerts.compactMap { alert in
            let window: Duration, frequency: Duration, path: String
            switch alert.criteria {
            case .metric(let m): (window, frequency, path) = (m.window, m.frequency, "metric.window")
            case .log(let l): (window, frequency, path) = (l.window, l.frequency, "log.window")
            default: return nil
            }
            guard window < frequency else { return nil }
            return finding(
                alert.id, "alert '\(alert.id)' looks back \(window) but runs every \(frequency)",
                at: alert.provenance.location(of: path) ?? alert.provenance.definedAt,
                hint: "make the window at least \(frequency), or evaluate more often")
        }
    }
}
