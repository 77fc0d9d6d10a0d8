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

    /// One resource of the alerts template: an action group or an activity-log alert as a tree,
    /// or a metric or log alert written straight from the model (``writeMetric`` / ``writeLog``).
    struct Resource {
        enum Body {
            case tree(CanonicalValue)
            /// `multi`: the multi-resource criteria; `targets`: with `targetResourceType` and
            /// `targetResourceRegion`.
            case metric(alert: Int, MetricCriteria, scopes: [String], multi: Bool, targets: Bool)
            case log(alert: Int, LogCriteria, scopes: [String])
        }
        /// `<type> NUL <name>`, the order resources are written in.
        var key: [UInt8]
        /// The `vigil-layer` tag: the key alerts are split by.
        var layer: String
        var isActionGroup: Bool
        /// The action-group ids the alert sends to, and those it depends on (rendered here).
        var actions: (ids: [String], dependsOn: [String])
        var body: Body
    }

    /// What every resource of one environment writes the same way: its name, region and tags,
    /// and its alerts (a buffer valid only inside the render that made the context, so an alert
    /// is read in place, never copied).
    struct Context {
        let name: String
        let region: String
        let alerts: UnsafeBufferPointer<AlertRule>
        /// The environment's tags in key order, without the three Vigil sets on every alert, each
        /// with how many of those three (`vigil-environment`, `vigil-item`, `vigil-layer`, in key
        /// order) come before it.
        let tags: [(key: String, value: String, vigilBefore: Int)]

        init(_ environment: ResolvedEnvironment, alerts: UnsafeBufferPointer<AlertRule>) {
            name = environment.name
            region = environment.facts.region
            self.alerts = alerts
            let vigil = ["vigil-environment", "vigil-item", "vigil-layer"]
            tags = environment.tags.filter { !vigil.contains($0.key) }
                .sorted { CanonicalBytes.precedes($0.key, $1.key) }
                .map { tag in (tag.key, tag.value, vigil.count { CanonicalBytes.precedes($0, tag.key) }) }
        }

        /// An alert's tags: the environment's, with Vigil's own set over them (as ``tags(_:item:layer:)``).
        func writeTags(item: String, layer: String, to w: inout StreamingJSONWriter) {
            w.object { w in
                var written = 0
                func vigil(upTo count: Int, _ w: inout StreamingJSONWriter) {
                    while written < count {
                        switch written {
                        case 0: w.field("vigil-environment", name)
                        case 1: w.field("vigil-item", item)
                        default: w.field("vigil-layer", layer)
                        }
                        written += 1
                    }
                }
                for tag in tags {
                    vigil(upTo: tag.vigilBefore, &w)
                    w.key(tag.key)
                    w.string(tag.value)
                }
                vigil(upTo: 3, &w)
            }
        }
    }

    /// One template when the environment fits ARM's limits; otherwise action groups in
    /// `azure/action-groups.json` (deploy it first) and alerts split by layer — the stable key —
    /// into `azure/alerts-<layer>.json`, a layer over the limits into `alerts-<layer>-2.json` …
    /// by name order. Sizes are those of each resource written on its own.
    static func split(
        _ resources: [Resource], parameters: CanonicalObject, context: Context, limit: Int, byteLimit: Int
    ) -> [ArtifactDocument] {
        func template(_ path: String, _ items: [Resource], parameters: CanonicalObject, dependsOn: Bool) -> ArtifactDocument {
            var w = StreamingJSONWriter(capacity: 64 * 1024)
            w.object { w in
                w.field("$schema", templateSchema)
                w.field("contentVersion", "1.0.0.0")
                if !parameters.isEmpty {
                    w.key("parameters")
                    w.value(.object(parameters))
                }
                w.field("resources", array: items) { w, item in write(item, dependsOn: dependsOn, context: context, to: &w) }
            }
            return ArtifactDocument(path: path, written: w.finishData(), format: .json)
        }
        if resources.count <= limit {
            let single = template("azure/alerts.json", resources, parameters: parameters, dependsOn: true)
            if single.written!.count <= byteLimit { return [single] }
        }
        var groups: [Resource] = []
        var byLayer: [String: [Resource]] = [:]
        for resource in resources {
            // Action groups deploy first, from their own template: no cross-template dependsOn.
            if resource.isActionGroup { groups.append(resource) } else { byLayer[resource.layer, default: []].append(resource) }
        }
        var documents = [template("azure/action-groups.json", groups, parameters: parameters, dependsOn: true)]
        for layer in byLayer.keys.sorted() {
            var chunks: [[Resource]] = [[]]
            var bytes = 0
            for resource in byLayer[layer]! {
                var w = StreamingJSONWriter(capacity: 4096)
                write(resource, dependsOn: false, context: context, to: &w)
                let size = w.byteCount + 1
                if chunks[chunks.count - 1].count >= limit || bytes + size > byteLimit {
                    chunks.append([])
                    bytes = 0
                }
                chunks[chunks.count - 1].append(resource)
                bytes += size
            }
            for (index, chunk) in chunks.enumerated() {
                documents.append(template(
                    index == 0 ? "azure/alerts-\(layer).json" : "azure/alerts-\(layer)-\(index + 1).json", chunk, parameters: [:],
                    dependsOn: false))
            }
        }
        return documents
    }

    /// Writes one resource; without `dependsOn`, it is left out (a template split by layer).
    static func write(_ resource: Resource, dependsOn: Bool, context: Context, to w: inout StreamingJSONWriter) {
        switch resource.body {
        case .tree(var tree):
            if !dependsOn, case .object(var fields) = tree {
                fields["dependsOn"] = nil
                tree = .object(fields)
            }
            w.value(tree)
        case .metric(let index, let metric, let scopes, let multi, let targets):
            writeMetric(
                context.alerts.baseAddress! + index, metric, scopes: scopes, multi: multi, targets: targets,
                actions: resource.actions,
                dependsOn: dependsOn, context: context, to: &w)
        case .log(let index, let log, let scopes):
            writeLog(
                context.alerts.baseAddress! + index, log, scopes: scopes, actions: resource.actions, dependsOn: dependsOn,
                context: context, to: &w)
        }
    }

    /// Renders the template.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        render(environment, limit: Self.maxResources, byteLimit: Self.maxBytes, diagnostics: &diagnostics)
    }

    /// Renders the template, split when it holds more than `limit` resources or `byteLimit` bytes.
    func render(_ environment: ResolvedEnvironment, limit: Int, byteLimit: Int, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        var resources: [Resource] = []
        resources.reserveCapacity(environment.alerts.count + environment.actionGroups.count)
        var parameters: CanonicalObject = [:]
        var parameterValues: CanonicalObject = [:]
        let groupIDs = Self.actionGroupReferences(environment)
        func key(_ type: String, _ name: String) -> [UInt8] { Array(type.utf8) + [0] + Array(name.utf8) }
        for group in environment.actionGroups where group.resourceId == nil {
            let name = "\(environment.name)-\(group.key)"
            let tree = actionGroup(group, name: name, environment: environment, parameters: &parameters,
                values: &parameterValues, diagnostics: &diagnostics)
            resources.append(Resource(
                key: key("Microsoft.Insights/actionGroups", name), layer: "other", isActionGroup: true, actions: ([], []),
                body: .tree(tree)))
        }
        // The resource keys that name a subscription or resource group, found once, not per alert.
        let containers = Set(environment.azure.resources.filter { $0.value.contains(where: Self.isContainerScope) }.keys)
        // Alerts are read in place: copying one retains each of its fields.
        var documents = environment.alerts.withUnsafeBufferPointer { alerts in
            for index in alerts.indices {
                let name = "\(environment.name)-\(alerts[index].id)"
                let layer = alerts[index].layer.rawValue
                switch alerts[index].criteria {
                case .metric(let metric):
                    guard
                        let checked = checkMetric(
                            alerts[index], metric, environment: environment, groups: groupIDs, containers: containers,
                            diagnostics: &diagnostics)
                    else { continue }
                    resources.append(Resource(
                        key: key("Microsoft.Insights/metricAlerts", name), layer: layer, isActionGroup: false,
                        actions: checked.actions,
                        body: .metric(alert: index, metric, scopes: checked.scopes, multi: checked.multi, targets: checked.targets)))
                case .log(let log):
                    guard let checked = checkLog(alerts[index], log, environment: environment, groups: groupIDs, diagnostics: &diagnostics)
                    else { continue }
                    resources.append(Resource(
                        key: key("Microsoft.Insights/scheduledQueryRules", name), layer: layer, isActionGroup: false,
                        actions: checked.actions, body: .log(alert: index, log, scopes: checked.scopes)))
                case .activityLog(let activity):
                    guard
                        let tree = activityLogAlert(
                            alerts[index], activity, environment: environment, groups: groupIDs, diagnostics: &diagnostics)
                    else { continue }
                    resources.append(Resource(
                        key: key("Microsoft.Insights/activityLogAlerts", name), layer: layer, isActionGroup: false,
                        actions: ([], []), body: .tree(tree)))
                case .prometheus:
                    continue  // PrometheusRenderer
                }
            }
            resources.sort { $0.key.lexicographicallyPrecedes($1.key) }
            return Self.split(
                resources, parameters: parameters, context: Context(environment, alerts: alerts), limit: limit, byteLimit: byteLimit)
        }
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

    /// Whether a scope is a subscription or a resource group (`/subscriptions/S`,
    /// `/subscriptions/S/resourceGroups/G`) rather than one resource.
    static func isContainerScope(_ id: String) -> Bool {
        let parts = id.utf8.split(separator: UInt8(ascii: "/"))
        guard parts.count == 2 || parts.count == 4, String(decoding: parts[0], as: UTF8.self).lowercased() == "subscriptions"
        else { return false }
        return parts.count == 2 || String(decoding: parts[2], as: UTF8.self).lowercased() == "resourcegroups"
    }

    /// Checks a metric alert against what Azure accepts, or nil after reporting why it cannot be
    /// rendered: its scopes, whether it needs the multi-resource criteria (several scopes, a
    /// subscription or resource group, or a dynamic threshold) and `targetResourceType` /
    /// `targetResourceRegion` (several scopes, a subscription or resource group: a key of
    /// `containers`), and its actions.
    func checkMetric(
        _ alert: AlertRule, _ metric: MetricCriteria, environment: ResolvedEnvironment,
        groups: [String: (id: String, rendered: Bool)], containers: Set<String>, diagnostics: inout Diagnostics
    ) -> (scopes: [String], multi: Bool, targets: Bool, actions: (ids: [String], dependsOn: [String]))? {
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
        let dynamic: Bool
        switch metric.threshold {
        case .fixed:
            dynamic = false
        case .dynamic(_, _, let failing, _):
            dynamic = true
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
        guard let actions = actionGroupIDs(alert, environment: environment, groups: groups, diagnostics: &diagnostics) else {
            return nil
        }
        guard ok else { return nil }
        // Azure requires the target type and region when the scope is a subscription, a resource
        // group or more than one resource; for one resource it derives both from the scope.
        let targets = scopes.count > 1 || containers.contains(metric.resource)
        return (scopes, targets || dynamic, targets, actions)
    }

    /// Writes a checked metric alert (`Microsoft.Insights/metricAlerts`), members in key order.
    static func writeMetric(
        _ alert: UnsafePointer<AlertRule>, _ metric: MetricCriteria, scopes: [String], multi: Bool, targets: Bool,
        actions: (ids: [String], dependsOn: [String]), dependsOn: Bool, context: Context, to w: inout StreamingJSONWriter
    ) {
        w.object { w in
            w.field("apiVersion", "2018-03-01")
            if dependsOn && !actions.dependsOn.isEmpty { w.field("dependsOn", strings: actions.dependsOn) }
            w.field("location", "global")
            w.key("name")
            w.string(context.name, dash: alert.pointee.id)
            w.field("properties") { w in
                writeActionIDs(actions.ids, to: &w)
                w.field("autoMitigate", alert.pointee.autoMitigate)
                w.field("criteria") { w in
                    w.key("allOf")
                    w.array(CollectionOfOne(metric)) { w, metric in w.object { writeCriterion(metric, to: &$0) } }
                    w.field(
                        "odata.type",
                        multi
                            ? "Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria"
                            : "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria")
                }
                w.field("description", alert.pointee.description ?? alert.pointee.title)
                w.field("enabled", alert.pointee.enabled)
                w.field("evaluationFrequency", metric.frequency.iso8601)
                w.field("scopes", strings: scopes)
                w.field("severity", alert.pointee.severity)
                if targets {
                    w.field("targetResourceRegion", context.region)
                    w.field("targetResourceType", metric.resourceType)
                }
                w.field("windowSize", metric.window.iso8601)
            }
            w.key("tags")
            context.writeTags(item: alert.pointee.id, layer: alert.pointee.layer.rawValue, to: &w)
            w.field("type", "Microsoft.Insights/metricAlerts")
        }
    }

    /// A metric alert's one criterion (`criterion1`), members in key order.
    static func writeCriterion(_ metric: MetricCriteria, to w: inout StreamingJSONWriter) {
        switch metric.threshold {
        case .fixed(let op, let value):
            w.field("criterionType", "StaticThresholdCriterion")
            writeDimensions(metric.dimensions, to: &w)
            w.field("metricName", metric.metric)
            w.field("metricNamespace", metric.namespace)
            w.field("name", "criterion1")
            w.field("operator", op)
            if metric.skipMetricValidation { w.field("skipMetricValidation", true) }
            w.field("threshold", value)
        case .dynamic(let op, let sensitivity, let failing, let ignoreBefore):
            w.field("alertSensitivity", sensitivity)
            w.field("criterionType", "DynamicThresholdCriterion")
            writeDimensions(metric.dimensions, to: &w)
            w.field("failingPeriods") { w in
                w.field("minFailingPeriodsToAlert", failing.violations)
                w.field("numberOfEvaluationPeriods", failing.evaluations)
            }
            w.field("ignoreDataBefore", ignoreBefore)
            w.field("metricName", metric.metric)
            w.field("metricNamespace", metric.namespace)
            w.field("name", "criterion1")
            w.field("operator", op)
            if metric.skipMetricValidation { w.field("skipMetricValidation", true) }
        }
        w.field("timeAggregation", metric.aggregation)
    }

    /// `dimensions`: each filter's name, operator and values.
    static func writeDimensions(_ dimensions: [DimensionFilter], to w: inout StreamingJSONWriter) {
        w.field("dimensions", objects: dimensions) { w, d in
            w.field("name", d.name)
            w.field("operator", d.operator)
            w.field("values", strings: d.values)
        }
    }

    /// A metric alert's `actions`: one entry per action group.
    static func writeActionIDs(_ ids: [String], to w: inout StreamingJSONWriter) {
        w.field("actions", objects: ids) { w, id in
            w.field("actionGroupId", id)
            w.field("webHookProperties") { _ in }
        }
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
