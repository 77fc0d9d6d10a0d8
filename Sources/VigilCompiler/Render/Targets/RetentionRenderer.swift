import Foundation
public import VigilModel

/// Renders Log Analytics table retention into `azure/retention.json`: one
/// `Microsoft.OperationalInsights/workspaces/tables` (2025-07-01) resource per retention item, in
/// the environment's workspace (`<workspace>/<table>`), sorted by table.
///
/// Stage: render. The workspace itself is not rendered: it exists before monitoring is deployed.
public struct RetentionRenderer: ArtifactRenderer {
    /// `azure`.
    public static let target = "azure"

    /// Creates the renderer.
    public init() {}

    /// Renders the retention template, or nothing when the environment has no retention items.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        guard !environment.retention.isEmpty else { return [] }
        guard let workspace = environment.azure.workspace else {
            let first = environment.retention[0]
            diagnostics.append(Diagnostic(
                "render/no-workspace",
                "environment '\(environment.name)' keeps table retention but names no workspace",
                at: environment.definedAt, hint: "set 'azure.workspace'",
                notes: [DiagnosticNote("retention for '\(first.table)' defined here", at: first.provenance.definedAt)]))
            return []
        }
        var resources: [CanonicalValue] = []
        for policy in environment.retention {
            let at = { (path: String) in policy.provenance.location(of: path) ?? policy.provenance.definedAt }
            if let interactive = policy.retentionInDays, let total = policy.totalRetentionInDays, total < interactive {
                diagnostics.append(Diagnostic(
                    "render/retention-order",
                    "table '\(policy.table)' keeps \(total) days in total but \(interactive) days interactively",
                    at: at("totalRetentionInDays"), hint: "totalRetentionInDays must be at least retentionInDays"))
                continue
            }
            if let plan = policy.plan, plan != "Analytics", let interactive = policy.retentionInDays, interactive != 30 {
                diagnostics.append(Diagnostic(
                    "render/retention-plan",
                    "table '\(policy.table)' on the \(plan) plan cannot keep \(interactive) days interactively",
                    at: at("retentionInDays"), hint: "\(plan) tables have a fixed 30-day interactive retention; remove retentionInDays"))
                continue
            }
            if policy.plan == "Auxiliary", !policy.table.hasSuffix("_CL") {
                diagnostics.append(Diagnostic(
                    "render/retention-plan", "table '\(policy.table)' cannot use the Auxiliary plan",
                    at: at("plan"), hint: "only custom (_CL) tables fed by data collection rules use Auxiliary"))
                continue
            }
            var properties: CanonicalObject = [:]
            if let plan = policy.plan { properties["plan"] = .string(plan) }
            if let days = policy.retentionInDays { properties["retentionInDays"] = .int(days) }
            if let days = policy.totalRetentionInDays { properties["totalRetentionInDays"] = .int(days) }
            resources.append(.fields([
                "type": .string("Microsoft.OperationalInsights/workspaces/tables"),
                "apiVersion": .string("2025-07-01"),
                "name": .string("\(workspace)/\(policy.table)"),
                "properties": .object(properties),
            ]))
        }
        return [
            ArtifactDocument(
                path: "azure/retention.json",
                value: .fields([
                    "$schema": .string(ARMTemplateRenderer.templateSchema),
                    "contentVersion": .string("1.0.0.0"),
                    "resources": .array(resources),
                ]),
                format: .json)
        ]
    }
}
