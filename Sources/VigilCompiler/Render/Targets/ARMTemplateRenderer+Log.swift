import Foundation
import VigilModel

/// Log alerts (`Microsoft.Insights/scheduledQueryRules` 2023-12-01) and activity-log alerts
/// (`Microsoft.Insights/activityLogAlerts` 2020-10-01).
extension ARMTemplateRenderer {
    /// The workspace's resource id, from the environment's subscription, group and workspace.
    static func workspaceID(_ environment: ResolvedEnvironment) -> String? {
        environment.azure.workspace.map {
            "/subscriptions/\(environment.azure.subscriptionId)/resourceGroups/\(environment.azure.resourceGroup)"
                + "/providers/Microsoft.OperationalInsights/workspaces/\($0)"
        }
    }

    /// Checks a log alert against what Azure accepts, or nil after reporting why it cannot be
    /// rendered: its scopes and its actions.
    func checkLog(
        _ alert: AlertRule, _ log: LogCriteria, environment: ResolvedEnvironment,
        groups: [String: (id: String, rendered: Bool)], diagnostics: inout Diagnostics
    ) -> (scopes: [String], actions: (ids: [String], dependsOn: [String]))? {
        let at = { (path: String) in alert.provenance.location(of: path) ?? alert.provenance.definedAt }
        var ok = true
        let scopes: [String]
        if log.scope == "workspace" {
            guard let workspace = Self.workspaceID(environment) else {
                diagnostics.append(Diagnostic(
                    "render/no-workspace", "log alert '\(alert.id)' queries the workspace, but environment '\(environment.name)' names none",
                    at: at("log.query"), hint: "set 'azure.workspace' in the environment",
                    notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
                return nil
            }
            scopes = [workspace]
        } else {
            guard let ids = environment.azure.resources[log.scope], !ids.isEmpty else {
                diagnostics.append(Diagnostic(
                    "render/unknown-resource",
                    "log alert '\(alert.id)' is scoped to resource '\(log.scope)', which environment '\(environment.name)' does not define",
                    at: at("log.scope"),
                    hint: Suggestions.hint(for: log.scope, in: Array(environment.azure.resources.keys), listing: "defined resources")))
                return nil
            }
            scopes = ids
        }
        if log.aggregation != "Count" && log.measureColumn == nil {
            diagnostics.append(Diagnostic(
                "render/missing-measure-column", "log alert '\(alert.id)' aggregates with \(log.aggregation) but names no measureColumn",
                at: at("log.aggregation"), hint: "add 'measureColumn', or use aggregation Count"))
            ok = false
        }
        if !(60...86400).contains(log.frequency.seconds) {
            diagnostics.append(Diagnostic(
                "render/unsupported-duration", "log alert '\(alert.id)' cannot be evaluated every \(log.frequency)",
                at: at("log.frequency"), hint: "Azure accepts 1m to 1d"))
            ok = false
        }
        if !(60...172_800).contains(log.window.seconds) {
            diagnostics.append(Diagnostic(
                "render/unsupported-duration", "log alert '\(alert.id)' cannot look back over \(log.window)",
                at: at("log.window"), hint: "Azure accepts 1m to 2d"))
            ok = false
        }
        if log.dimensions.count > 6 {
            diagnostics.append(Diagnostic(
                "render/too-many-dimensions", "log alert '\(alert.id)' splits by \(log.dimensions.count) dimensions",
                at: at("log.dimensions"), hint: "Azure allows at most 6"))
            ok = false
        }
        if let failing = log.failingPeriods, failing.violations > failing.evaluations {
            diagnostics.append(Diagnostic(
                "render/invalid-failing-periods",
                "alert '\(alert.id)' needs \(failing.violations) violations out of only \(failing.evaluations) periods",
                at: at("log.failingPeriods.violations"), hint: "violations must not exceed evaluations"))
            ok = false
        }
        if log.muteActionsFor != nil && alert.autoMitigate == true {
            diagnostics.append(Diagnostic(
                "render/mute-with-auto-mitigate", "log alert '\(alert.id)' mutes actions but also resolves itself",
                at: at("log.muteActionsFor"), hint: "set 'autoMitigate: false' to mute actions after firing"))
            ok = false
        }
        guard let actions = actionGroupIDs(alert, environment: environment, groups: groups, diagnostics: &diagnostics) else {
            return nil
        }
        guard ok else { return nil }
        return (scopes, actions)
    }

    /// Writes a checked log alert (`Microsoft.Insights/scheduledQueryRules`), members in key order.
    static func writeLog(
        _ alert: UnsafePointer<AlertRule>, _ log: LogCriteria, scopes: [String], actions: (ids: [String], dependsOn: [String]), dependsOn: Bool,
        context: Context, to w: inout StreamingJSONWriter
    ) {
        w.object { w in
            w.field("apiVersion", "2023-12-01")
            if dependsOn && !actions.dependsOn.isEmpty { w.field("dependsOn", strings: actions.dependsOn) }
            w.field("kind", "LogAlert")
            w.field("location", context.region)
            w.key("name")
            w.string(context.name, dash: alert.pointee.id)
            w.field("properties") { w in
                w.field("actions") { w in
                    w.field("actionGroups", strings: actions.ids)
                    w.field("customProperties") { _ in }
                }
                w.field("autoMitigate", alert.pointee.autoMitigate ?? (log.muteActionsFor == nil))
                w.field("criteria") { w in
                    w.key("allOf")
                    w.array(CollectionOfOne(log)) { w, log in
                        w.object { w in
                            writeDimensions(log.dimensions, to: &w)
                            w.field("failingPeriods") { w in
                                w.field("minFailingPeriodsToAlert", log.failingPeriods?.violations ?? 1)
                                w.field("numberOfEvaluationPeriods", log.failingPeriods?.evaluations ?? 1)
                            }
                            w.field("metricMeasureColumn", log.measureColumn)
                            w.field("operator", log.operator)
                            w.field("query", log.query)
                            w.field("resourceIdColumn", log.resourceIdColumn)
                            w.field("threshold", log.threshold)
                            w.field("timeAggregation", log.aggregation)
                        }
                    }
                }
                w.field("description", alert.pointee.description ?? alert.pointee.title)
                w.field("displayName", alert.pointee.title)
                w.field("enabled", alert.pointee.enabled)
                w.field("evaluationFrequency", log.frequency.iso8601)
                if let mute = log.muteActionsFor { w.field("muteActionsDuration", mute.iso8601) }
                w.field("scopes", strings: scopes)
                w.field("severity", alert.pointee.severity)
                w.field("windowSize", log.window.iso8601)
            }
            w.key("tags")
            context.writeTags(item: alert.pointee.id, layer: alert.pointee.layer.rawValue, to: &w)
            w.field("type", "Microsoft.Insights/scheduledQueryRules")
        }
    }

    func activityLogAlert(
        _ alert: AlertRule, _ activity: ActivityLogCriteria, environment: ResolvedEnvironment,
        groups: [String: (id: String, rendered: Bool)], diagnostics: inout Diagnostics
    ) -> CanonicalValue? {
        var conditions: [CanonicalValue] = [.fields(["field": .string("category"), "equals": .string(activity.category)])]
        if let operation = activity.operationName {
            conditions.append(.fields(["field": .string("operationName"), "equals": .string(operation)]))
        }
        for condition in activity.conditions {
            if condition.anyOf.count == 1 {
                conditions.append(.fields(["field": .string(condition.field), "equals": .string(condition.anyOf[0])]))
            } else {
                conditions.append(.fields([
                    "anyOf": .array(condition.anyOf.map { .fields(["field": .string(condition.field), "equals": .string($0)]) })
                ]))
            }
        }
        guard let actions = actionGroupIDs(alert, environment: environment, groups: groups, diagnostics: &diagnostics) else {
            return nil
        }
        return .fields([
            "type": .string("Microsoft.Insights/activityLogAlerts"),
            "apiVersion": .string("2020-10-01"),
            "name": .string("\(environment.name)-\(alert.id)"),
            "location": .string("global"),
            "tags": tags(environment, item: alert.id, layer: alert.layer.rawValue),
            "dependsOn": actions.dependsOn.isEmpty ? nil : .array(actions.dependsOn.map { .string($0) }),
            "properties": .fields([
                "description": .string(alert.description ?? alert.title),
                "enabled": .bool(alert.enabled),
                "scopes": .array([.string("/subscriptions/\(environment.azure.subscriptionId)")]),
                "condition": .fields(["allOf": .array(conditions)]),
                "actions": .fields([
                    "actionGroups": .array(actions.ids.map { .fields(["actionGroupId": .string($0), "webhookProperties": .object([:])]) })
                ]),
            ]),
        ])
    }

    /// The action-group ids an alert routes to (none without `route`), or nil after reporting an
    /// unknown route.
    func actionGroupIDs(
        _ alert: AlertRule, environment: ResolvedEnvironment, groups: [String: (id: String, rendered: Bool)],
        diagnostics: inout Diagnostics
    ) -> (ids: [String], dependsOn: [String])? {
        Self.actionGroupIDs(
            route: alert.route, item: "alert '\(alert.id)'", at: alert.provenance.location(of: "route") ?? alert.provenance.definedAt,
            environment: environment, groups: groups, diagnostics: &diagnostics)
    }

    /// The action-group ids any routed item (an alert, a probe's availability alert) sends to:
    /// none without a route, nil after reporting an unknown route at `span` (the item's name and
    /// span are only worked out then).
    static func actionGroupIDs(
        route: String?, item: @autoclosure () -> String, at span: @autoclosure () -> SourceSpan, environment: ResolvedEnvironment,
        groups: [String: (id: String, rendered: Bool)], diagnostics: inout Diagnostics
    ) -> (ids: [String], dependsOn: [String])? {
        guard let route else { return ([], []) }
        guard let group = groups[route] else {
            diagnostics.append(.unknownActionGroup(item: item(), route: route, at: span(), environment: environment, defined: Array(groups.keys)))
            return nil
        }
        return ([group.id], group.rendered ? [group.id] : [])
    }
}

extension Diagnostic {
    /// An alert routes to an action-group key the environment does not define.
    static func unknownActionGroup(
        _ alert: AlertRule, route: String, environment: ResolvedEnvironment, defined: [String]
    ) -> Diagnostic {
        unknownActionGroup(
            item: "alert '\(alert.id)'", route: route, at: alert.provenance.location(of: "route") ?? alert.provenance.definedAt,
            environment: environment, defined: defined)
    }

    /// An item (`alert 'x'`, `probe 'y'`) routes to an action-group key the environment does not define.
    static func unknownActionGroup(
        item: String, route: String, at span: SourceSpan, environment: ResolvedEnvironment, defined: [String]
    ) -> Diagnostic {
        Diagnostic(
            "render/unknown-action-group",
            "\(item) routes to '\(route)', which environment '\(environment.name)' does not define",
            at: span, hint: Suggestions.hint(for: route, in: defined, listing: "defined action groups"),
            notes: [DiagnosticNote("environment defined here", at: environment.definedAt)])
    }
}
