import Foundation
import VigilModel

/// One comparable resource of an artifact: an ARM resource, a Kubernetes object, one rule of a
/// rule group, one deployment parameter.
struct ResourceUnit {
    var kind: String
    var name: String
    var file: String
    var value: CanonicalValue

    var key: String { "\(kind)\u{0}\(name)" }
}

/// Splits artifacts into resources, so a resource that moves between files (a template split
/// by layer, a rule moving between rule groups) is not a change.
enum ResourceUnits {
    static let ruleGroupType = "Microsoft.AlertsManagement/prometheusRuleGroups"
    /// The kind of an ARM template's own fields (`$schema`, `contentVersion`, …).
    static let templateKind = "ARM template"

    /// The resources of one artifact file.
    static func extract(path: String, values: [CanonicalValue]) -> [ResourceUnit] {
        var units: [ResourceUnit] = []
        for value in values {
            guard case .object(let root) = value else {
                units.append(ResourceUnit(kind: "file", name: path, file: path, value: value))
                continue
            }
            if case .array(let resources)? = root["resources"] {
                for resource in resources { units += armResource(resource, file: path) }
                var rest = root
                rest["resources"] = nil
                units.append(ResourceUnit(kind: templateKind, name: path, file: path, value: .object(rest)))
            } else if case .string(let schema)? = root["$schema"], schema.contains("deploymentParameters"),
                case .object(let parameters)? = root["parameters"]
            {
                for (name, parameter) in parameters { units.append(ResourceUnit(kind: "parameter", name: name, file: path, value: parameter)) }
            } else if case .string(let kind)? = root["kind"], case .object(let metadata)? = root["metadata"] {
                units += kubernetesObject(kind: kind, metadata: metadata, root: root, file: path)
            } else {
                units.append(ResourceUnit(kind: "file", name: path, file: path, value: value))
            }
        }
        return deduplicated(units)
    }

    static func armResource(_ resource: CanonicalValue, file: String) -> [ResourceUnit] {
        guard case .object(var fields) = resource, case .string(let type)? = fields["type"], case .string(let name)? = fields["name"] else {
            return [ResourceUnit(kind: "resource", name: file, file: file, value: resource)]
        }
        guard type == ruleGroupType, case .object(var properties)? = fields["properties"], case .array(let rules)? = properties["rules"] else {
            return [ResourceUnit(kind: type, name: name, file: file, value: resource)]
        }
        // A managed rule group holds at most 20 rules: each rule is its own resource, so one that
        // moves to the next group is not a change.
        properties["rules"] = nil
        fields["properties"] = .object(properties)
        return [ResourceUnit(kind: type, name: name, file: file, value: .object(fields))]
            + rules.map { rule(type, $0, file: file) }
    }

    static func kubernetesObject(kind: String, metadata: CanonicalObject, root: CanonicalObject, file: String) -> [ResourceUnit] {
        var name = ""
        if case .string(let n)? = metadata["name"] { name = n }
        if case .string(let namespace)? = metadata["namespace"] { name = "\(namespace)/\(name)" }
        guard kind == "PrometheusRule", case .object(var spec)? = root["spec"], case .array(let groups)? = spec["groups"] else {
            return [ResourceUnit(kind: kind, name: name, file: file, value: .object(root))]
        }
        var rules: [ResourceUnit] = []
        var bare: [CanonicalValue] = []
        for group in groups {
            guard case .object(var fields) = group, case .array(let groupRules)? = fields["rules"] else {
                bare.append(group)
                continue
            }
            var groupName = ""
            if case .string(let n)? = fields["name"] { groupName = n }
            rules += groupRules.map { rule(kind, $0, file: file, group: groupName) }
            fields["rules"] = nil
            bare.append(.object(fields))
        }
        spec["groups"] = .array(bare)
        var object = root
        object["spec"] = .object(spec)
        return [ResourceUnit(kind: kind, name: name, file: file, value: .object(object))] + rules
    }

    /// One Prometheus rule, named by its alert or recorded series.
    static func rule(_ container: String, _ rule: CanonicalValue, file: String, group: String? = nil) -> ResourceUnit {
        var value = rule
        if let group, case .object(var fields) = rule {
            fields["group"] = .string(group)
            value = .object(fields)
        }
        if case .object(let fields) = rule {
            if case .string(let alert)? = fields["alert"] { return ResourceUnit(kind: "\(container)/alert", name: alert, file: file, value: value) }
            if case .string(let record)? = fields["record"] {
                return ResourceUnit(kind: "\(container)/record", name: record, file: file, value: value)
            }
        }
        return ResourceUnit(kind: "\(container)/rule", name: group ?? file, file: file, value: value)
    }

    /// Same kind and name twice (a recorded series with different labels): numbered in order.
    static func deduplicated(_ units: [ResourceUnit]) -> [ResourceUnit] {
        var seen: [String: Int] = [:]
        return units.map { unit in
            let count = seen[unit.key, default: 0] + 1
            seen[unit.key] = count
            guard count > 1 else { return unit }
            var copy = unit
            copy.name += " #\(count)"
            return copy
        }
    }
}

/// Links rendered resources back to the model items they were rendered from.
struct ItemLinker {
    /// The collection of the item behind a Kubernetes object, by kind.
    static let kubernetesCollections = [
        "ConfigMap": "dashboards", "PodMonitor": "monitors", "Probe": "probes", "ServiceMonitor": "monitors",
    ]

    var alertsByRuleName: [String: String] = [:]
    var recordingByRecord: [String: [String]] = [:]
    var tenants: [String: String] = [:]
    /// Probe ids: availability tests and their alerts are tagged with the probe's id.
    var probes: Set<String> = []
    private var environment: ResolvedEnvironment?

    init(_ environment: ResolvedEnvironment?) {
        guard let environment else { return }
        self.environment = environment
        for alert in environment.alerts {
            if case .prometheus = alert.criteria { alertsByRuleName[PrometheusRenderer.alertName(alert.id)] = alert.id }
        }
        for rule in environment.recordingRules { recordingByRecord[rule.record, default: []].append(rule.id) }
        probes = Set(environment.probes.map(\.id))
        tenants = environment.itemTenants
    }

    /// The provenance of an item, looked up when a changed resource asks (most resources of an
    /// environment are unchanged, so no index of every item is built).
    func provenance(_ item: ItemReference) -> Provenance? {
        environment.flatMap { Explainer.provenance(of: item.collection, item.id, in: $0) }
    }

    /// The item a resource was rendered from, where it can be told.
    func item(of unit: ResourceUnit) -> ItemReference? {
        guard case .object(let fields) = unit.value else { return nil }
        if case .object(let tags)? = fields["tags"], case .string(let id)? = tags["vigil-item"] {
            switch unit.kind {
            case "Microsoft.Insights/actionGroups": return ItemReference(collection: "actionGroups", id: id)
            case "Microsoft.Insights/webtests": return ItemReference(collection: "probes", id: id)
            case "Microsoft.Insights/metricAlerts" where probes.contains(id) && provenance(ItemReference(collection: "alerts", id: id)) == nil:
                return ItemReference(collection: "probes", id: id)
            case ResourceUnits.ruleGroupType: return ItemReference(collection: "ruleGroups", id: id)
            case "Microsoft.AlertsManagement/actionRules": return ItemReference(collection: "maintenance", id: id)
            case "Microsoft.Insights/workbooks": return ItemReference(collection: "dashboards", id: id)
            default: return ItemReference(collection: "alerts", id: id)
            }
        }
        if unit.kind.hasSuffix("/alert"), let id = alertsByRuleName[unit.name] { return ItemReference(collection: "alerts", id: id) }
        if unit.kind.hasSuffix("/record") {
            let record = unit.name.split(separator: " ").first.map(String.init) ?? unit.name
            if let ids = recordingByRecord[record], ids.count == 1 { return ItemReference(collection: "recordingRules", id: ids[0]) }
        }
        if unit.kind == "Microsoft.OperationalInsights/workspaces/tables", let table = unit.name.split(separator: "/").last {
            return ItemReference(collection: "retention", id: String(table))
        }
        if unit.kind == "Microsoft.OperationalInsights/workspaces/dataExports", let id = unit.name.split(separator: "/").last {
            return ItemReference(collection: "exports", id: String(id))
        }
        // Kubernetes objects carry their item in the `vigil.dev/item` label.
        if let collection = Self.kubernetesCollections[unit.kind], case .object(let metadata)? = fields["metadata"],
            case .object(let labels)? = metadata["labels"], case .string(let id)? = labels["vigil.dev/item"],
            unit.kind != "ConfigMap" || labels["grafana_dashboard"] != nil
        {
            return ItemReference(collection: collection, id: id)
        }
        if unit.kind == "Microsoft.Insights/diagnosticSettings", unit.name.hasPrefix("vigil-") {
            return ItemReference(collection: "collection", id: String(unit.name.dropFirst("vigil-".count)))
        }
        return nil
    }
}
