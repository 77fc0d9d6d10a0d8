import Foundation
public import VigilModel

/// Renders an environment's Azure Monitor resources into one ARM deployment template
/// (`azure/alerts.json`, 2019-04-01 envelope): metric alerts (`Microsoft.Insights/metricAlerts`
/// 2018-03-01) and the action groups they route to (`Microsoft.Insights/actionGroups`
/// 2023-01-01), plus `azure/alerts.parameters.json` when a webhook receiver needs a Key Vault
/// reference.
///
/// Stage: render. Resources are sorted by (type, name); names are `<environment>-<id>`.
public struct ARMTemplateRenderer: ArtifactRenderer {
    /// `azure`.
    public static let target = "azure"
    /// The deployment-template schema URL.
    public static let templateSchema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
    /// The parameters-file schema URL.
    public static let parametersSchema =
        "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"
    /// Evaluation frequencies Azure accepts for metric alerts.
    public static let metricFrequencies = [60, 300, 900, 1800, 3600]
    /// Windows Azure accepts for metric alerts.
    public static let metricWindows = [60, 300, 900, 1800, 3600, 21600, 43200, 86400]

    /// ARM's limit of resources per template, less headroom.
    public static let maxResources = 800
    /// ARM's limit of template bytes (4 MB), less headroom for parameters.
    public static let maxBytes = 4_000_000

    /// Creates the renderer.
    public init() {}

    /// One template when the environment fits ARM's limits; otherwise action groups in
    /// `azure/action-groups.json` (deploy it first) and alerts split by layer — the stable key —
    /// into `azure/alerts-<layer>.json`, a layer over the limits into `alerts-<layer>-2.json` …
    /// by name order.
    static func split(
        _ resources: [CanonicalValue], parameters: CanonicalObject, limit: Int, byteLimit: Int
    ) -> [ArtifactDocument] {
        func template(_ path: String, _ items: [CanonicalValue], parameters: CanonicalObject) -> ArtifactDocument {
            ArtifactDocument(
                path: path,
                value: .fields([
                    "$schema": .string(templateSchema), "contentVersion": .string("1.0.0.0"),
                    "parameters": parameters.isEmpty ? nil : .object(parameters), "resources": .array(items),
                ]),
                format: .json)
        }
        var single = template("azure/alerts.json", resources, parameters: parameters)
        if resources.count <= limit {
            single.written = single.bytes()
            if single.written!.count <= byteLimit { return [single] }
        }
        func field(_ value: CanonicalValue, _ key: String) -> CanonicalValue? {
            if case .object(let fields) = value { return fields[key] }
            return nil
        }
        func string(_ value: CanonicalValue?) -> String? {
            if case .string(let s)? = value { return s }
            return nil
        }
        var groups: [CanonicalValue] = []
        var byLayer: [String: [CanonicalValue]] = [:]
        for resource in resources {
            if string(field(resource, "type")) == "Microsoft.Insights/actionGroups" {
                groups.append(resource)
                continue
            }
            // Action groups deploy first, from their own template: no cross-template dependsOn.
            var copy = resource
            if case .object(var fields) = copy {
                fields["dependsOn"] = nil
                copy = .object(fields)
            }
            let layer = string(field(field(resource, "tags") ?? .null, "vigil-layer")) ?? "other"
            byLayer[layer, default: []].append(copy)
        }
        var documents = [template("azure/action-groups.json", groups, parameters: parameters)]
        for layer in byLayer.keys.sorted() {
            var chunks: [[CanonicalValue]] = [[]]
            var bytes = 0
            for resource in byLayer[layer]! {
                let size = CanonicalJSONWriter().write(resource).count
                if chunks[chunks.count - 1].count >= limit || bytes + size > byteLimit {
                    chunks.append([])
                    bytes = 0
                }
                chunks[chunks.count - 1].append(resource)
                bytes += size
            }
            for (index, chunk) in chunks.enumerated() {
                documents.append(template(index == 0 ? "azure/alerts-\(layer).json" : "azure/alerts-\(layer)-\(index + 1).json", chunk, parameters: [:]))
            }
        }
        return documents
    }

    /// Renders the template.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        var resources: [CanonicalValue] = []
        var parameters: CanonicalObject = [:]
        var parameterValues: CanonicalObject = [:]
        let groupIDs = Self.actionGroupReferences(environment)
        for group in environment.actionGroups where group.resourceId == nil {
            let name = "\(environment.name)-\(group.key)"
            resources.append(actionGroup(group, name: name, environment: environment, parameters: &parameters,
                values: &parameterValues, diagnostics: &diagnostics))
        }
        for alert in environment.alerts {
            let resource: CanonicalValue?
            switch alert.criteria {
            case .metric(let metric):
                resource = metricAlert(alert, metric, environment: environment, groups: groupIDs, diagnostics: &diagnostics)
            case .log(let log):
                resource = logAlert(alert, log, environment: environment, groups: groupIDs, diagnostics: &diagnostics)
            case .activityLog(let activity):
                resource = activityLogAlert(alert, activity, environment: environment, groups: groupIDs, diagnostics: &diagnostics)
            case .prometheus:
                resource = nil  // PrometheusRenderer
            }
            if let resource { resources.append(resource) }
        }
        // Each key computed once, not once per comparison.
        resources = resources.map { (key: Self.sortKey($0), resource: $0) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.resource)
        var documents = Self.split(resources, parameters: parameters, limit: Self.maxResources, byteLimit: Self.maxBytes)
        if !parameterValues.isEmpty {
            documents.append(ArtifactDocument(
                path: "azure/alerts.parameters.json",
                value: .fields([
                    "$schema": .string(Self.parametersSchema),
                    "contentVersion": .string("1.0.0.0"),
                    "parameters": .object(parameterValues),
                ]),
                format: .json))
        }
        return documents
    }

    /// How alerts refer to each action group: an existing group's id, or an ARM expression for
    /// the group this template renders (`rendered`, so alerts depend on it).
    static func actionGroupReferences(_ environment: ResolvedEnvironment) -> [String: (id: String, rendered: Bool)] {
        var references: [String: (id: String, rendered: Bool)] = [:]
        for group in environment.actionGroups {
            references[group.key] =
                group.resourceId.map { ($0, false) }
                ?? ("[resourceId('Microsoft.Insights/actionGroups', '\(environment.name)-\(group.key)')]", true)
        }
        return references
    }

    static func sortKey(_ resource: CanonicalValue) -> [UInt8] {
        guard case .object(let fields) = resource, case .string(let type)? = fields["type"],
            case .string(let name)? = fields["name"]
        else { return [] }
        return Array(type.utf8) + [0] + Array(name.utf8)
    }

    func tags(_ environment: ResolvedEnvironment, item: String, layer: String?) -> CanonicalValue {
        // Vigil's own tags replace environment tags of the same name; without a layer, an
        // environment's `vigil-layer` tag stays.
        .strings(environment.tags, setting: ["vigil-environment": environment.name, "vigil-item": item, "vigil-layer": layer])
    }

    func metricAlert(
        _ alert: AlertRule, _ metric: MetricCriteria, environment: ResolvedEnvironment,
        groups: [String: (id: String, rendered: Bool)], diagnostics: inout Diagnostics
    ) -> CanonicalValue? {
        let at = { (path: String) in alert.provenance.location(of: path) ?? alert.provenance.definedAt }
        var ok = true
        guard let scopes = environment.azure.resources[metric.resource], !scopes.isEmpty else {
            diagnostics.append(Diagnostic(
                "render/unknown-resource",
                "alert '\(alert.id)' monitors resource '\(metric.resource)', which environment '\(environment.name)' does not define",
                at: at("metric.resource"),
                hint: Suggestions.hint(
                    for: metric.resource, in: Array(environment.azure.resources.keys), listing: "defined resources"),
                notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
            return nil
        }
        if !Self.metricFrequencies.contains(metric.frequency.seconds) {
            diagnostics.append(Diagnostic(
                "render/unsupported-duration", "metric alert '\(alert.id)' cannot be evaluated every \(metric.frequency)",
                at: at("metric.frequency"), hint: "Azure accepts 1m, 5m, 15m, 30m or 1h"))
            ok = false
        }
        if !Self.metricWindows.contains(metric.window.seconds) || metric.window < metric.frequency {
            diagnostics.append(Diagnostic(
                "render/unsupported-duration", "metric alert '\(alert.id)' cannot look back over \(metric.window)",
                at: at("metric.window"),
                hint: "Azure accepts 1m, 5m, 15m, 30m, 1h, 6h, 12h or 1d, no shorter than the frequency"))
            ok = false
        }
        var criterion: CanonicalObject = [
            "name": .string("criterion1"),
            "metricName": .string(metric.metric),
            "metricNamespace": .string(metric.namespace),
            "timeAggregation": .string(metric.aggregation),
            "dimensions": .array(metric.dimensions.map(Self.dimension)),
        ]
        if metric.skipMetricValidation { criterion["skipMetricValidation"] = .bool(true) }
        let dynamic: Bool
        switch metric.threshold {
        case .fixed(let op, let value):
            dynamic = false
            criterion["criterionType"] = .string("StaticThresholdCriterion")
            criterion["operator"] = .string(op)
            criterion["threshold"] = .decimal(value)
        case .dynamic(let op, let sensitivity, let failing, let ignoreBefore):
            dynamic = true
            criterion["criterionType"] = .string("DynamicThresholdCriterion")
            criterion["operator"] = .string(op)
            criterion["alertSensitivity"] = .string(sensitivity)
            criterion["failingPeriods"] = .fields([
                "numberOfEvaluationPeriods": .int(failing.evaluations),
                "minFailingPeriodsToAlert": .int(failing.violations),
            ])
            if let ignoreBefore { criterion["ignoreDataBefore"] = .string(ignoreBefore) }
            if failing.violations > failing.evaluations {
                diagnostics.append(Diagnostic(
                    "render/invalid-failing-periods",
                    "alert '\(alert.id)' needs \(failing.violations) violations out of only \(failing.evaluations) periods",
                    at: at("metric.dynamic.failingPeriods.violations"), hint: "violations must not exceed evaluations"))
                ok = false
            }
            if !(300...3600).contains(metric.frequency.seconds) || !(300...3600).contains(metric.window.seconds) {
                diagnostics.append(Diagnostic(
                    "render/unsupported-duration",
                    "dynamic-threshold alert '\(alert.id)' needs window and frequency between 5m and 1h",
                    at: at("metric.window"), hint: "use 5m, 15m, 30m or 1h"))
                ok = false
            }
        }
        let multi = scopes.count > 1 || dynamic
        var properties: CanonicalObject = [
            "description": .string(alert.description ?? alert.title),
            "severity": .int(alert.severity),
            "enabled": .bool(alert.enabled),
            "scopes": .array(scopes.map { .string($0) }),
            "evaluationFrequency": .string(metric.frequency.iso8601),
            "windowSize": .string(metric.window.iso8601),
            "criteria": .fields([
                "odata.type": .string(
                    multi
                        ? "Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria"
                        : "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria"),
                "allOf": .array([.object(criterion)]),
            ]),
        ]
        // Several resources must name their type and region; for one resource (a dynamic
        // threshold also uses the multi-resource criteria) Azure derives both from the scope.
        if scopes.count > 1 {
            properties["targetResourceType"] = .string(metric.resourceType)
            properties["targetResourceRegion"] = .string(environment.facts.region)
        }
        if let autoMitigate = alert.autoMitigate { properties["autoMitigate"] = .bool(autoMitigate) }
        guard let actions = actionGroupIDs(alert, environment: environment, groups: groups, diagnostics: &diagnostics) else {
            return nil
        }
        properties["actions"] = .array(actions.ids.map { .fields(["actionGroupId": .string($0), "webHookProperties": .object([:])]) })
        let dependsOn = actions.dependsOn.map { CanonicalValue.string($0) }
        guard ok else { return nil }
        return .fields([
            "type": .string("Microsoft.Insights/metricAlerts"),
            "apiVersion": .string("2018-03-01"),
            "name": .string("\(environment.name)-\(alert.id)"),
            "location": .string("global"),
            "tags": tags(environment, item: alert.id, layer: alert.layer.rawValue),
            "dependsOn": dependsOn.isEmpty ? nil : .array(dependsOn),
            "properties": .object(properties),
        ])
    }

    static func dimension(_ d: DimensionFilter) -> CanonicalValue {
        .fields(["name": .string(d.name), "operator": .string(d.operator), "values": .array(d.values.map { .string($0) })])
    }

    func actionGroup(
        _ group: ActionGroup, name: String, environment: ResolvedEnvironment, parameters: inout CanonicalObject,
        values: inout CanonicalObject, diagnostics: inout Diagnostics
    ) -> CanonicalValue {
        var email: [CanonicalValue] = []
        var sms: [CanonicalValue] = []
        var voice: [CanonicalValue] = []
        var webhooks: [CanonicalValue] = []
        for receiver in group.receivers {
            switch receiver.kind {
            case .email:
                email.append(.fields([
                    "name": .string(receiver.name), "emailAddress": receiver.address.map { .string($0) },
                    "useCommonAlertSchema": .bool(true),
                ]))
            case .sms, .voice:
                let value = CanonicalValue.fields([
                    "name": .string(receiver.name), "countryCode": receiver.countryCode.map { .string($0) },
                    "phoneNumber": receiver.phoneNumber.map { .string($0) },
                ])
                if receiver.kind == .sms { sms.append(value) } else { voice.append(value) }
            case .webhook:
                let parameter = "webhook-\(group.key)-\(receiver.name)"
                parameters[parameter] = .fields(["type": .string("securestring")])
                if let secret = receiver.secretRef, let vault = environment.azure.resources["keyvault"]?.first {
                    values[parameter] = .fields([
                        "reference": .fields(["keyVault": .fields(["id": .string(vault)]), "secretName": .string(secret)])
                    ])
                } else {
                    diagnostics.append(Diagnostic(
                        "render/webhook-secret",
                        "webhook receiver '\(receiver.name)' of action group '\(group.key)' needs 'secretRef' and a 'keyvault' resource",
                        at: receiver.definedAt ?? environment.definedAt,
                        hint: "webhook URLs are secrets: store the URL in Key Vault and name the secret in 'secretRef'"))
                }
                webhooks.append(.fields([
                    "name": .string(receiver.name), "serviceUri": .string("[parameters('\(parameter)')]"),
                    "useCommonAlertSchema": .bool(true),
                ]))
            }
        }
        return .fields([
            "type": .string("Microsoft.Insights/actionGroups"),
            "apiVersion": .string("2023-01-01"),
            "name": .string(name),
            "location": .string("Global"),
            "tags": tags(environment, item: group.key, layer: nil),
            "properties": .fields([
                "groupShortName": .string(group.shortName),
                "enabled": .bool(true),
                "emailReceivers": .array(email),
                "smsReceivers": .array(sms),
                "voiceReceivers": .array(voice),
                "webhookReceivers": .array(webhooks),
            ]),
        ])
    }
}
