import Foundation
import VigilModel

/// Compliance classes set retention minimums; non-production stages set cost maximums.
struct RetentionLimitsRule: PolicyRule {
    /// Minimum total retention, in days, of tables that cover `audit.*` signals, per class.
    static let complianceMinimum = ["healthcare": 2190]
    /// Maximum total retention, in days, per non-production stage.
    static let stageMaximum: [Stage: Int] = [.dev: 90, .staging: 365]

    static let descriptor = RuleDescriptor(
        id: "policy/retention-limits",
        summary: "audit tables meet their compliance class's minimum retention; non-production keeps data no longer than its stage allows",
        rationale:
            "Healthcare audit trails must be kept six years (2190 days); a dev workspace that keeps everything for years pays for data nobody reads. Limits: dev 90 days in total, staging 365.",
        passingExamples: [
            PolicyExamples.root(baseline: "retention:\n  ContainerLogV2: {retentionInDays: 30, totalRetentionInDays: 90}\n")
        ],
        failingExamples: [
            PolicyExamples.root(
                baseline: "retention:\n  ContainerLogV2: {retentionInDays: 30, totalRetentionInDays: ↓730}\n",
                environment: PolicyExamples.environment(stage: "dev"))
        ])

    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding] {
        var findings: [PolicyFinding] = []
        for policy in environment.retention {
            let total = policy.totalRetentionInDays ?? policy.retentionInDays ?? 30
            let at = policy.provenance.location(of: "totalRetentionInDays") ?? policy.provenance.definedAt
            if let maximum = Self.stageMaximum[environment.facts.stage], total > maximum {
                findings.append(finding(
                    policy.table,
                    "table '\(policy.table)' keeps \(total) days in \(environment.facts.stage.rawValue) environment '\(environment.name)'",
                    at: at, hint: "\(environment.facts.stage.rawValue) keeps at most \(maximum) days; shorten it in the stage overlay"))
            }
            guard policy.covers.contains(where: { $0.hasPrefix("audit.") }) else { continue }
            for compliance in environment.facts.compliance {
                if let minimum = Self.complianceMinimum[compliance], total < minimum {
                    findings.append(finding(
                        policy.table, "audit table '\(policy.table)' keeps \(total) days; \(compliance) requires \(minimum)",
                        at: at, hint: "set totalRetentionInDays to at least \(minimum)"))
                }
            }
        }
        return findings
    }
}
