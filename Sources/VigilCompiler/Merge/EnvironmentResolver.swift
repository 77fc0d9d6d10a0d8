import Foundation
public import VigilModel

/// Produces a ``ResolvedEnvironment`` from an environment document and the loaded layers.
///
/// Stage: merge. Decodes the environment's facts, selects its overlays, merges every layer,
/// applies `when` selectors, then decodes the typed items.
public struct EnvironmentResolver: Sendable {
    /// Stages to evaluate environments at instead of their own (`vigil check --promote`), by name.
    public var promotions: [String: Stage]

    /// Creates a resolver.
    /// - Parameter promotions: Environments to evaluate as if they were at another stage.
    /// Template item plans, shared by the environments this resolver expands.
    let plans = TemplatePlans()

    public init(promotions: [String: Stage] = [:]) { self.promotions = promotions }

    /// Resolves one environment.
    /// - Parameters:
    ///   - environment: The environment document.
    ///   - specs: Every loaded document.
    ///   - diagnostics: Where problems go.
    /// - Returns: The resolved environment, or nil when it has errors.
    public func resolve(_ environment: SpecDocument, specs: SpecSet, diagnostics: inout Diagnostics) -> ResolvedEnvironment? {
        resolve(environment, specs: specs, reuse: nil, diagnostics: &diagnostics)
    }

    /// Resolves one environment, taking stage results from the other side of a diff where their
    /// inputs are equal (``StageReuse``).
    func resolve(
        _ environment: SpecDocument, specs: SpecSet, reuse: StageReuse?, diagnostics: inout Diagnostics
    ) -> ResolvedEnvironment? {
        let before = diagnostics.errorCount
        let root = environment.root
        guard var facts = Self.facts(of: environment) else { return nil }
        if let stage = promotions[facts.name] { facts.stage = stage }
        var layers = OverlayMerger.layers(for: facts, environment: environment, specs: specs)
        let merger = OverlayMerger()
        let selector = Selector(facts: facts)
        func selected(_ items: [MergedItem]) -> [MergedItem] {
            items.filter { item in
                guard let when = item.value["when"], !when.isNull else { return true }
                return selector.matches(when, diagnostics: &diagnostics) == true
            }
        }
        let recovery = RecoveryObjectives(
            rpo: root["recovery"]?["rpo"]?.string.flatMap(Duration.parse),
            rto: root["recovery"]?["rto"]?.string.flatMap(Duration.parse))
        let tenantFields = root["tenants"]?.fields ?? []
        if facts.tier == .dedicated, let first = tenantFields.first {
            diagnostics.append(Diagnostic(
                "schema/invalid-value", "dedicated environment '\(facts.name)' lists tenants", at: first.keySpan,
                hint: "tenants belong to multi-tenant environments; set 'tier: multi-tenant' or remove 'tenants'"))
        }
        // Instances merge like any item; their expansion joins the baseline layer, so overlays
        // and overrides can patch generated items by id.
        let instances = merger.merge(layers, collections: ["instances"], diagnostics: &diagnostics)
        let expander = TemplateExpander(
            facts: facts, recovery: recovery, tenants: facts.tier == .multiTenant ? tenantFields : [],
            slos: root["slos"]?.fields ?? [], host: root["host"]?.string,
            database: root["database"]?.string, plans: plans)
        var itemTenants: [String: String] = [:]
        let selectedInstances = selected(instances.items["instances"] ?? [])
        func expand(_ diagnostics: inout Diagnostics) -> StageReuse.Expansion {
            expander.expand(selectedInstances, templates: specs.templates, diagnostics: &diagnostics)
        }
        let expansion = reuse.map {
            $0.expansion(environment: root, facts: facts, instances: selectedInstances, diagnostics: &diagnostics, expand)
        } ?? expand(&diagnostics)
        if let generated = expansion {
            layers[0].documents.append(("generated", generated.items))
            itemTenants = generated.tenants
        }
        let merged = merger.merge(
            layers, collections: OverlayMerger.collectionKeys.filter { $0 != "instances" }, diagnostics: &diagnostics)
        let alerts = selected(merged.items["alerts"] ?? []).compactMap(AlertDecoder.decode)
        let retention = selected(merged.items["retention"] ?? []).map { item in
            RetentionPolicy(
                table: item.id, plan: item.value["plan"]?.string, retentionInDays: item.value["retentionInDays"]?.int,
                totalRetentionInDays: item.value["totalRetentionInDays"]?.int,
                covers: Array(Set((item.value["covers"]?.list ?? []).compactMap(\.string))).sorted(), provenance: item.provenance)
        }
        let requirements = selected(merged.items["requires"] ?? []).map {
            Requirement(signal: $0.id, description: $0.value["description"]?.string ?? "", provenance: $0.provenance)
        }
        let collection = selected(merged.items["collection"] ?? []).map { item in
            var source = CollectionSource(
                id: item.id, kind: item.value["kind"]?.string ?? "", resource: item.value["resource"]?.string,
                categories: (item.value["categories"]?.list ?? []).compactMap(\.string),
                tables: Array(Set((item.value["tables"]?.list ?? []).compactMap(\.string))).sorted(),
                namespaces: (item.value["namespaces"]?.list ?? []).compactMap(\.string), provenance: item.provenance)
            source.tenantNamespaces = item.value["tenantNamespaces"]?.bool ?? false
            return source
        }
        let recordingRules = selected(merged.items["recordingRules"] ?? []).map { item in
            var labels: [String: String] = [:]
            for field in item.value["labels"]?.fields ?? [] { labels[field.key] = field.value.string }
            return RecordingRule(
                id: item.id, record: item.value["record"]?.string ?? "", expr: item.value["expr"]?.string ?? "",
                group: item.value["group"]?.string ?? "recording", labels: labels, provenance: item.provenance)
        }
        let slos = selected(merged.items["slos"] ?? [])
        func compile(_ diagnostics: inout Diagnostics) -> BurnRateCompiler.Output { BurnRateCompiler.compile(slos, diagnostics: &diagnostics) }
        let objectives = reuse.map { $0.objectives(slos: slos, diagnostics: &diagnostics, compile) } ?? compile(&diagnostics)
        let taken = Set(alerts.map(\.id) + recordingRules.map(\.id))
        for (id, slo) in objectives.sources.sorted(by: { $0.key < $1.key }) where taken.contains(id) {
            diagnostics.append(Diagnostic(
                "slo/id-collision", "SLO '\(slo)' generates '\(id)', which is already an item of environment '\(facts.name)'",
                at: objectives.slos.first { $0.id == slo }?.provenance.definedAt,
                hint: "rename the SLO or the item"))
        }
        // Probes run by the in-cluster blackbox exporter alert through Prometheus: one generated
        // `<id>-failing` alert each, so routing, policy and the rule renderer treat them as alerts.
        let probes = selected(merged.items["probes"] ?? []).compactMap { ProbeDecoder.decode($0, diagnostics: &diagnostics) }
        let probeAlerts = ProbeDecoder.runsInCluster(facts) ? probes.filter(\.enabled).map(ProbeDecoder.alert(for:)) : []
        var allAlerts = alerts
        allAlerts += objectives.alerts
        // Built only when probes generate alerts (most environments have none).
        let definedByID = probeAlerts.isEmpty
            ? [:] : Dictionary(allAlerts.map { ($0.id, $0.provenance.definedAt) }, uniquingKeysWith: { a, _ in a })
        for alert in probeAlerts {
            guard let existing = definedByID[alert.id] else { continue }
            diagnostics.append(Diagnostic(
                "merge/duplicate-id", "probe '\(alert.id.dropLast("-failing".count))' generates alert '\(alert.id)', which is already an alert",
                at: alert.provenance.definedAt, hint: "rename the probe or the alert",
                notes: [DiagnosticNote("alert '\(alert.id)' defined here", at: existing)]))
        }
        let azure = root["azure"]
        var resources: [String: [String]] = [:]
        for field in azure?["resources"]?.fields ?? [] {
            resources[field.key] = (field.value.list ?? [field.value]).compactMap(\.string)
        }
        let scope = AzureScope(
            subscriptionId: azure?["subscriptionId"]?.string ?? "",
            resourceGroup: azure?["resourceGroup"]?.string ?? "",
            workspace: azure?["workspace"]?.string,
            resources: resources)
        var tags: [String: String] = [:]
        for field in root["tags"]?.fields ?? [] { tags[field.key] = field.value.string }
        let groups = (root["actionGroups"]?.fields ?? []).map(Self.actionGroup)
        // Dashboards read the alerts and SLOs as resolved: a threshold linked to an alert is its.
        allAlerts += probeAlerts
        let dashboards = Self.dashboards(
            selected(merged.items["dashboards"] ?? []), merged: merged, facts: facts, alerts: allAlerts,
            slos: objectives.slos, tenantFields: tenantFields, specs: specs, selector: selector, diagnostics: &diagnostics)
        guard diagnostics.errorCount == before else { return nil }
        var resolved = ResolvedEnvironment(
            facts: facts, definedAt: environment.name.span, owner: root["owner"]?.string, azure: scope,
            recovery: recovery, tags: tags, actionGroups: groups, alerts: allAlerts)
        resolved.retention = retention.sorted { $0.table < $1.table }
        resolved.requirements = requirements.sorted { $0.signal < $1.signal }
        resolved.collection = collection.sorted { $0.id < $1.id }
        resolved.monitors = selected(merged.items["monitors"] ?? []).compactMap(MonitorDecoder.decode).sorted { $0.id < $1.id }
        resolved.exports = Self.exports(selected(merged.items["exports"] ?? []))
        resolved.maintenanceWindows = Self.maintenanceWindows(root["maintenance"])
        resolved.recordingRules = (recordingRules + objectives.recordingRules).sorted { $0.id < $1.id }
        resolved.slos = objectives.slos.sorted { $0.id < $1.id }
        resolved.dashboards = dashboards
        resolved.host = root["host"]?.string
        resolved.probes = probes.sorted { $0.id < $1.id }
        for probe in probes { if let tenant = itemTenants[probe.id] { itemTenants[probe.alertID] = tenant } }
        for (id, slo) in objectives.sources { if let tenant = itemTenants[slo] { itemTenants[id] = tenant } }
        for item in merged.items["ruleGroups"] ?? [] {
            if let interval = item.value["interval"]?.string.flatMap(Duration.parse) { resolved.ruleGroupIntervals[item.id] = interval }
        }
        resolved.tenants = tenantFields.map { t in
            Tenant(
                id: t.key, displayName: t.value["displayName"]?.string, namespace: t.value["namespace"]?.string,
                host: t.value["host"]?.string, database: t.value["database"]?.string, route: t.value["route"]?.string)
        }.sorted { $0.id < $1.id }
        let kept = Set(
            resolved.alerts.map(\.id) + resolved.recordingRules.map(\.id) + resolved.slos.map(\.id) + resolved.probes.map(\.id))
        resolved.itemTenants = itemTenants.filter { kept.contains($0.key) }
        resolved.removedItems = (instances.removed.values.flatMap { $0 } + merged.removed.values.flatMap { $0 })
            .sorted { ($0.collection, $0.id) < ($1.collection, $1.id) }
        return resolved
    }

    static func facts(of environment: SpecDocument) -> EnvironmentFacts? {
        let root = environment.root
        guard let tier = root["tier"]?.string.flatMap(Tier.init(rawValue:)),
            let stage = root["stage"]?.string.flatMap(Stage.init(rawValue:)),
            let region = root["region"]?.string
        else { return nil }
        var components: [String: String] = [:]
        for field in root["components"]?.fields ?? [] { components[field.key] = field.value.string }
        return EnvironmentFacts(
            name: environment.name.value, tier: tier, stage: stage, region: region,
            compliance: (root["compliance"]?.list ?? []).compactMap(\.string), components: components)
    }

    static func actionGroup(_ field: SpecField) -> ActionGroup {
        let value = field.value
        let receivers = (value["receivers"]?.fields ?? []).compactMap { receiver -> Receiver? in
            guard let kind = receiver.value["type"]?.string.flatMap(Receiver.Kind.init(rawValue:)) else { return nil }
            return Receiver(
                name: receiver.key, kind: kind, address: receiver.value["address"]?.string,
                countryCode: receiver.value["countryCode"]?.string, phoneNumber: receiver.value["phoneNumber"]?.string,
                secretRef: receiver.value["secretRef"]?.string, oncall: receiver.value["oncall"]?.bool ?? false,
                definedAt: receiver.keySpan)
        }.sorted { $0.name < $1.name }
        return ActionGroup(
            key: field.key, shortName: value["shortName"]?.string ?? field.key,
            purpose: value["purpose"]?.string.flatMap(ActionGroupPurpose.init(rawValue:)) ?? .notify,
            resourceId: value["resourceId"]?.string, receivers: receivers)
    }
}

/// Decodes merged alert values (already schema-checked) into ``AlertRule``s.
enum AlertDecoder {
    // Each value is decoded in one pass over its fields (a lookup by key walks them all, and most
    // keys an alert may have are absent); the first field of a key is the one read.

    static func decode(_ item: MergedItem) -> AlertRule? {
        guard case .map(let fields) = item.value.content else { return nil }
        var title: SpecValue?, description: SpecValue?, layer: SpecValue?, owner: SpecValue?, runbook: SpecValue?
        var response: SpecValue?, impact: SpecValue?, severity: SpecValue?, route: SpecValue?, covers: SpecValue?
        var enabled: SpecValue?, autoMitigate: SpecValue?
        var kinds = Kinds()
        for index in fields.indices {
            let value = fields[index].value
            switch fields[index].key {
            case "title": title = title ?? value
            case "description": description = description ?? value
            case "layer": layer = layer ?? value
            case "owner": owner = owner ?? value
            case "runbook": runbook = runbook ?? value
            case "response": response = response ?? value
            case "impact": impact = impact ?? value
            case "severity": severity = severity ?? value
            case "route": route = route ?? value
            case "covers": covers = covers ?? value
            case "enabled": enabled = enabled ?? value
            case "autoMitigate": autoMitigate = autoMitigate ?? value
            case "metric": kinds.metric = kinds.metric ?? value
            case "log": kinds.log = kinds.log ?? value
            case "activityLog": kinds.activityLog = kinds.activityLog ?? value
            case "prometheus": kinds.prometheus = kinds.prometheus ?? value
            default: break
            }
        }
        guard let title = title?.string, let layerName = layer?.string, let layer = Layer(rawValue: layerName),
            let severity = severity?.int, let criteria = criteria(kinds, layer: layerName)
        else { return nil }
        return AlertRule(
            id: item.id, title: title, description: description?.string, layer: layer,
            owner: owner?.string, runbook: runbook?.string, response: response?.string,
            impact: impact?.string, severity: severity, route: route?.string,
            covers: Array(Set((covers?.list ?? []).compactMap(\.string))).sorted(),
            enabled: enabled?.bool ?? true, autoMitigate: autoMitigate?.bool, criteria: criteria,
            provenance: item.provenance)
    }

    /// An alert's criteria fields, one of which it sets.
    struct Kinds {
        var metric: SpecValue?
        var log: SpecValue?
        var activityLog: SpecValue?
        var prometheus: SpecValue?
    }

    static func criteria(_ kinds: Kinds, layer: String?) -> AlertCriteria? {
        if let m = kinds.metric, !m.isNull { return metric(m) }
        if let l = kinds.log, !l.isNull { return log(l) }
        let v = (activityLog: kinds.activityLog, prometheus: kinds.prometheus)
        if let a = v.activityLog, !a.isNull {
            let conditions = (a["conditions"]?.fields ?? []).map {
                ActivityLogCondition(field: $0.key, anyOf: ($0.value.list ?? [$0.value]).compactMap(\.string))
            }.sorted { $0.field < $1.field }
            return .activityLog(ActivityLogCriteria(
                category: a["category"]?.string ?? "Administrative", operationName: a["operationName"]?.string,
                conditions: conditions))
        }
        if let p = v.prometheus, !p.isNull {
            var labels: [String: String] = [:]
            for field in p["labels"]?.fields ?? [] { labels[field.key] = field.value.string }
            return .prometheus(PrometheusCriteria(
                expr: p["expr"]?.string ?? "", forDuration: duration(p["for"]),
                group: p["group"]?.string ?? (layer ?? "default"), labels: labels))
        }
        return nil
    }

    static func metric(_ m: SpecValue) -> AlertCriteria? {
        var resource: SpecValue?, resourceType: SpecValue?, namespace: SpecValue?, metric: SpecValue?, aggregation: SpecValue?
        var dynamic: SpecValue?, threshold: SpecValue?, op: SpecValue?, window: SpecValue?, frequency: SpecValue?
        var dimensions: SpecValue?, skip: SpecValue?
        if case .map(let fields) = m.content {
            for index in fields.indices {
                let value = fields[index].value
                switch fields[index].key {
                case "resource": resource = resource ?? value
                case "resourceType": resourceType = resourceType ?? value
                case "namespace": namespace = namespace ?? value
                case "metric": metric = metric ?? value
                case "aggregation": aggregation = aggregation ?? value
                case "dynamic": dynamic = dynamic ?? value
                case "threshold": threshold = threshold ?? value
                case "operator": op = op ?? value
                case "window": window = window ?? value
                case "frequency": frequency = frequency ?? value
                case "dimensions": dimensions = dimensions ?? value
                case "skipMetricValidation": skip = skip ?? value
                default: break
                }
            }
        }
        let criterion: Threshold
        if let d = dynamic, !d.isNull {
            criterion = .dynamic(
                operator: d["operator"]?.string ?? "GreaterThan", sensitivity: d["sensitivity"]?.string ?? "Medium",
                failingPeriods: failing(d["failingPeriods"]) ?? FailingPeriods(evaluations: 4, violations: 4),
                ignoreDataBefore: d["ignoreDataBefore"]?.string)
        } else {
            guard let value = threshold?.number else { return nil }
            criterion = .fixed(operator: op?.string ?? "GreaterThan", value: value)
        }
        guard let window = duration(window), let frequency = duration(frequency) else { return nil }
        return .metric(MetricCriteria(
            resource: resource?.string ?? "", resourceType: resourceType?.string ?? "",
            namespace: namespace?.string ?? "", metric: metric?.string ?? "",
            aggregation: aggregation?.string ?? "Average", threshold: criterion,
            dimensions: self.dimensions(dimensions), window: window, frequency: frequency,
            skipMetricValidation: skip?.bool ?? false))
    }

    static func log(_ l: SpecValue) -> AlertCriteria? {
        var query: SpecValue?, tables: SpecValue?, scope: SpecValue?, aggregation: SpecValue?, measure: SpecValue?
        var resourceID: SpecValue?, op: SpecValue?, threshold: SpecValue?, dimensions: SpecValue?, window: SpecValue?
        var frequency: SpecValue?, failing: SpecValue?, mute: SpecValue?
        if case .map(let fields) = l.content {
            for index in fields.indices {
                let value = fields[index].value
                switch fields[index].key {
                case "query": query = query ?? value
                case "tables": tables = tables ?? value
                case "scope": scope = scope ?? value
                case "aggregation": aggregation = aggregation ?? value
                case "measureColumn": measure = measure ?? value
                case "resourceIdColumn": resourceID = resourceID ?? value
                case "operator": op = op ?? value
                case "threshold": threshold = threshold ?? value
                case "dimensions": dimensions = dimensions ?? value
                case "window": window = window ?? value
                case "frequency": frequency = frequency ?? value
                case "failingPeriods": failing = failing ?? value
                case "muteActionsFor": mute = mute ?? value
                default: break
                }
            }
        }
        guard let window = duration(window), let frequency = duration(frequency), let threshold = threshold?.number else {
            return nil
        }
        return .log(LogCriteria(
            query: query?.string ?? "", tables: (tables?.list ?? []).compactMap(\.string),
            scope: scope?.string ?? "workspace", aggregation: aggregation?.string ?? "Count",
            measureColumn: measure?.string, resourceIdColumn: resourceID?.string,
            operator: op?.string ?? "GreaterThan", threshold: threshold,
            dimensions: self.dimensions(dimensions), window: window, frequency: frequency,
            failingPeriods: self.failing(failing), muteActionsFor: duration(mute)))
    }

    static func duration(_ value: SpecValue?) -> Duration? { value?.string.flatMap(Duration.parse) }

    static func failing(_ value: SpecValue?) -> FailingPeriods? {
        guard let value, let e = value["evaluations"]?.int, let v = value["violations"]?.int else { return nil }
        return FailingPeriods(evaluations: e, violations: v)
    }

    static func dimensions(_ value: SpecValue?) -> [DimensionFilter] {
        (value?.fields ?? []).map {
            DimensionFilter(
                name: $0.key, operator: $0.value["operator"]?.string ?? "Include",
                values: ($0.value["values"]?.list ?? []).compactMap(\.string))
        }.sorted { $0.name < $1.name }
    }
}
