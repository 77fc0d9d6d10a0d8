import Foundation
import VigilModel

/// Log alerts query only tables the environment collects and keeps at least as long as the
/// alert looks back.
struct LogTableCollectedRule: PolicyRule {
    static let collected = """
        collection:
          postgresql-logs: {kind: diagnosticSetting, resource: postgresql, categories: [PostgreSQLLogs], tables: [AzureDiagnostics]}

        """
    static func logAlert(_ table: String) -> String {
        """
        alerts:
          pg-errors:
            title: PostgreSQL errors
            layer: data
            severity: 3
            route: ops
            owner: platform-data
            runbook: https://runbooks.example.com/postgresql-errors
            response: Read the error lines and fix the failing job.
            impact: performance
            log: {query: "AzureDiagnostics | where Category == 'PostgreSQLLogs'", tables: [\(table)], aggregation: Count, operator: GreaterThan, threshold: 10, window: 15m, frequency: 5m}

        """
    }

    static let descriptor = RuleDescriptor(
        id: "policy/log-table-collected",
        summary: "log alerts query only tables the environment collects",
        rationale: "A log alert on a table nothing fills never fires: it looks healthy and is blind.",
        passingExamples: [PolicyExamples.root(baseline: collected + logAlert("AzureDiagnostics"))],
        failingExamples: [
            PolicyExamples.root(baseline: collected + logAlert("AzureDiagnostics").replacingOccurrences(of: "tables: [AzureDiagnostics]", with: "tables: ↓[ContainerLogV2]"))
        ])

    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding] {
        let collected = Set(environment.collectedTables)
        var retention: [String: Int] = [:]
        for policy in environment.retention { retention[policy.table] = policy.retentionInDays }
        var findings: [PolicyFinding] = []
        for alert in environment.alerts {
            guard case .log(let log) = alert.criteria else { continue }
            let at = alert.provenance.location(of: "log.tables") ?? alert.provenance.definedAt
            for table in log.tables where !collected.contains(table) {
                findings.append(finding(
                    alert.id, "log alert '\(alert.id)' queries '\(table)', which environment '\(environment.name)' does not collect",
                    at: at, hint: "add a 'collection' item that fills '\(table)' (a diagnostic setting, data collection rule or Container Insights)"))
            }
            for table in log.tables where collected.contains(table) {
                let days = retention[table] ?? 30
                if days * 86400 < log.window.seconds {
                    findings.append(finding(
                        alert.id, "log alert '\(alert.id)' looks back \(log.window) but '\(table)' is kept \(days) days",
                        at: at, hint: "keep '\(table)' at least as long as the alert looks back"))
                }
            }
        }
        return findings
    }
}
