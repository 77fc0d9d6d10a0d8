public import Foundation

/// The monitoring layer an item belongs to.
public enum Layer: String, Sendable, Hashable, CaseIterable {
    /// Ingress and access (Traefik, TLS).
    case ingress
    /// Application runtime (Odoo web and workers).
    case application
    /// Data services (PostgreSQL, Redis, object storage).
    case data
    /// Platform (AKS nodes and pods).
    case platform
    /// Security and governance.
    case security
    /// Backup and disaster-recovery readiness.
    case backup
}

/// A resolved alert rule of one environment: every layer merged, selectors applied.
///
/// Stage: produced by merging, consumed by policy and renderers.
public struct AlertRule: Sendable, Hashable {
    /// The id, unique within the environment.
    public var id: String
    /// One-line title.
    public var title: String
    /// What the alert means.
    public var description: String?
    /// The layer.
    public var layer: Layer
    /// The owning team.
    public var owner: String?
    /// Runbook URL.
    public var runbook: String?
    /// What on-call does when it fires.
    public var response: String?
    /// Business-impact category.
    public var impact: String?
    /// Azure severity, 0 (critical) to 4 (verbose).
    public var severity: Int
    /// The action-group key it routes to.
    public var route: String?
    /// The signal ids it covers, sorted.
    public var covers: [String]
    /// Whether the rule is enabled.
    public var enabled: Bool
    /// Whether the alert resolves itself when the condition clears.
    public var autoMitigate: Bool?
    /// The condition.
    public var criteria: AlertCriteria
    /// Where its values came from.
    public var provenance: Provenance

    /// Creates an alert rule.
    public init(
        id: String, title: String, description: String?, layer: Layer, owner: String?, runbook: String?,
        response: String?, impact: String?, severity: Int, route: String?, covers: [String], enabled: Bool,
        autoMitigate: Bool?, criteria: AlertCriteria, provenance: Provenance
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.layer = layer
        self.owner = owner
        self.runbook = runbook
        self.response = response
        self.impact = impact
        self.severity = severity
        self.route = route
        self.covers = covers
        self.enabled = enabled
        self.autoMitigate = autoMitigate
        self.criteria = criteria
        self.provenance = provenance
    }
}

/// The condition of an alert: exactly one kind.
public enum AlertCriteria: Sendable, Hashable {
    /// An Azure Monitor platform metric.
    case metric(MetricCriteria)
    /// A Log Analytics (KQL) query.
    case log(LogCriteria)
    /// An activity-log event (administrative, Service Health, Resource Health …).
    case activityLog(ActivityLogCriteria)
    /// A PromQL expression.
    case prometheus(PrometheusCriteria)

    /// `metric`, `log`, `activityLog` or `prometheus`.
    public var kind: String {
        switch self {
        case .metric: "metric"
        case .log: "log"
        case .activityLog: "activityLog"
        case .prometheus: "prometheus"
        }
    }
}

/// A dimension filter of a metric or log alert.
public struct DimensionFilter: Sendable, Hashable {
    /// The dimension (metric) or column (log) name.
    public var name: String
    /// `Include`, `Exclude` or (metrics only) `StartsWith`.
    public var `operator`: String
    /// Values; `*` means every value, one time series each.
    public var values: [String]

    /// Creates a filter.
    public init(name: String, operator: String, values: [String]) {
        self.name = name
        self.operator = `operator`
        self.values = values
    }
}

/// A static or dynamic threshold.
public enum Threshold: Sendable, Hashable {
    /// Compare with a fixed number.
    case fixed(operator: String, value: Decimal)
    /// Learned thresholds: Azure's dynamic-threshold criterion.
    case dynamic(operator: String, sensitivity: String, failingPeriods: FailingPeriods, ignoreDataBefore: String?)
}

/// How many of the last evaluation periods must violate before the alert fires.
public struct FailingPeriods: Sendable, Hashable {
    /// Periods looked at.
    public var evaluations: Int
    /// Of those, how many must violate (≤ evaluations).
    public var violations: Int

    /// Creates failing periods.
    public init(evaluations: Int, violations: Int) {
        self.evaluations = evaluations
        self.violations = violations
    }
}

/// An Azure Monitor metric condition.
public struct MetricCriteria: Sendable, Hashable {
    /// The key of the monitored resource(s) in the environment's `azure.resources`.
    public var resource: String
    /// The ARM resource type, e.g. `Microsoft.DBforPostgreSQL/flexibleServers`.
    public var resourceType: String
    /// The metric namespace.
    public var namespace: String
    /// The metric name.
    public var metric: String
    /// `Average`, `Count`, `Minimum`, `Maximum` or `Total`.
    public var aggregation: String
    /// The threshold.
    public var threshold: Threshold
    /// Dimension filters, sorted by name.
    public var dimensions: [DimensionFilter]
    /// The look-back window.
    public var window: Duration
    /// How often it is evaluated.
    public var frequency: Duration
    /// Skip Azure's check that the metric exists (custom metrics).
    public var skipMetricValidation: Bool

    /// Creates metric criteria.
    public init(
        resource: String, resourceType: String, namespace: String, metric: String, aggregation: String,
        threshold: Threshold, dimensions: [DimensionFilter], window: Duration, frequency: Duration,
        skipMetricValidation: Bool
    ) {
        self.resource = resource
        self.resourceType = resourceType
        self.namespace = namespace
        self.metric = metric
        self.aggregation = aggregation
        self.threshold = threshold
        self.dimensions = dimensions
        self.window = window
        self.frequency = frequency
        self.skipMetricValidation = skipMetricValidation
    }
}

/// A Log Analytics (KQL) condition.
public struct LogCriteria: Sendable, Hashable {
    /// The KQL query.
    public var query: String
    /// Tables the query reads.
    public var tables: [String]
    /// `workspace` or a key of `azure.resources` (resource-centric query).
    public var scope: String
    /// `Count`, `Average`, `Minimum`, `Maximum` or `Total`.
    public var aggregation: String
    /// The column measured (unless `Count`).
    public var measureColumn: String?
    /// The column holding the resource id, to split alerts per resource.
    public var resourceIdColumn: String?
    /// The threshold (always fixed for log alerts).
    public var `operator`: String
    /// The threshold value.
    public var threshold: Decimal
    /// Dimension filters (at most 6), sorted by name.
    public var dimensions: [DimensionFilter]
    /// The look-back window.
    public var window: Duration
    /// How often it is evaluated.
    public var frequency: Duration
    /// Failing periods.
    public var failingPeriods: FailingPeriods?
    /// Mute actions this long after firing.
    public var muteActionsFor: Duration?

    /// Creates log criteria.
    public init(
        query: String, tables: [String], scope: String, aggregation: String, measureColumn: String?,
        resourceIdColumn: String?, operator: String, threshold: Decimal, dimensions: [DimensionFilter],
        window: Duration, frequency: Duration, failingPeriods: FailingPeriods?, muteActionsFor: Duration?
    ) {
        self.query = query
        self.tables = tables
        self.scope = scope
        self.aggregation = aggregation
        self.measureColumn = measureColumn
        self.resourceIdColumn = resourceIdColumn
        self.operator = `operator`
        self.threshold = threshold
        self.dimensions = dimensions
        self.window = window
        self.frequency = frequency
        self.failingPeriods = failingPeriods
        self.muteActionsFor = muteActionsFor
    }
}

/// An activity-log condition.
public struct ActivityLogCriteria: Sendable, Hashable {
    /// `Administrative`, `ServiceHealth`, `ResourceHealth`, `Security`, `Policy`, …
    public var category: String
    /// Operation name, e.g. `Microsoft.Authorization/roleAssignments/write`.
    public var operationName: String?
    /// Further `field equals value` (or any-of) conditions, sorted by field.
    public var conditions: [ActivityLogCondition]

    /// Creates activity-log criteria.
    public init(category: String, operationName: String?, conditions: [ActivityLogCondition]) {
        self.category = category
        self.operationName = operationName
        self.conditions = conditions
    }
}

/// One leaf of an activity-log condition: a field equal to one of the values.
public struct ActivityLogCondition: Sendable, Hashable {
    /// The activity-log field, e.g. `status` or `properties.incidentType`.
    public var field: String
    /// Any of these values matches.
    public var anyOf: [String]

    /// Creates a condition.
    public init(field: String, anyOf: [String]) {
        self.field = field
        self.anyOf = anyOf
    }
}

/// A Prometheus alerting condition.
public struct PrometheusCriteria: Sendable, Hashable {
    /// The PromQL expression.
    public var expr: String
    /// How long the expression must hold before the alert fires.
    public var forDuration: Duration?
    /// The rule group.
    public var group: String
    /// Extra labels (writers sort keys).
    public var labels: [String: String]

    /// Creates Prometheus criteria.
    public init(expr: String, forDuration: Duration?, group: String, labels: [String: String]) {
        self.expr = expr
        self.forDuration = forDuration
        self.group = group
        self.labels = labels
    }
}

/// A value a later layer replaced or removed, and where it had been written.
public struct PriorValue: Sendable, Hashable {
    /// The value as text (numbers canonical, lists and maps as compact JSON).
    public var value: String
    /// Where it was written.
    public var setAt: SourceSpan

    /// Creates a prior value.
    public init(value: String, setAt: SourceSpan) {
        self.value = value
        self.setAt = setAt
    }
}

/// The origin of one field of a resolved item.
public struct FieldOrigin: Sendable, Hashable {
    /// Where the current value was written.
    public var setAt: SourceSpan
    /// The values it overrode, oldest first.
    public var overridden: [PriorValue]

    /// Creates an origin.
    public init(setAt: SourceSpan, overridden: [PriorValue]) {
        self.setAt = setAt
        self.overridden = overridden
    }
}

/// A field a later layer removed with `null`.
public struct RemovedField: Sendable, Hashable {
    /// The last value before removal, and where it was written.
    public var value: PriorValue
    /// Where the `null` that removed it was written.
    public var removedAt: SourceSpan

    /// Creates a removed field.
    public init(value: PriorValue, removedAt: SourceSpan) {
        self.value = value
        self.removedAt = removedAt
    }
}

/// Where a resolved item and its fields came from.
public struct Provenance: Sendable, Hashable {
    /// Where the item was first defined.
    public var definedAt: SourceSpan
    /// For each field path (`metric.threshold`), where its current value was written. Map-valued
    /// fields are located at their key. Derived from ``merged`` when not given, on first need:
    /// most items never need their origins (only diagnostics, `explain` and `diff` do).
    public var fields: [String: SourceSpan] {
        get { givenFields ?? merged.map(Self.origins(of:)) ?? [:] }
        set { givenFields = newValue }
    }
    private var givenFields: [String: SourceSpan]?
    /// For each leaf path, the values it overrode, oldest first.
    public var overridden: [String: [PriorValue]]
    /// Leaf paths removed by a later layer.
    public var removed: [String: RemovedField]
    /// The merged definition as written (shared storage, not a copy): what `explain` prints.
    public var merged: SpecValue?

    /// Creates provenance.
    /// - Parameters:
    ///   - definedAt: The item's definition.
    ///   - fields: Field origins by dotted path.
    ///   - overridden: Overridden values by leaf path.
    ///   - removed: Removed leaves.
    public init(
        definedAt: SourceSpan, fields: [String: SourceSpan], overridden: [String: [PriorValue]] = [:],
        removed: [String: RemovedField] = [:], merged: SpecValue? = nil
    ) {
        self.definedAt = definedAt
        self.givenFields = fields
        self.overridden = overridden
        self.removed = removed
        self.merged = merged
    }

    /// Creates provenance whose field origins are those of the merged definition.
    /// - Parameters:
    ///   - definedAt: The item's definition.
    ///   - merged: The merged definition; each field is located where its value was written.
    ///   - overridden: Overridden values by leaf path.
    ///   - removed: Removed leaves.
    public init(
        definedAt: SourceSpan, merged: SpecValue, overridden: [String: [PriorValue]] = [:], removed: [String: RemovedField] = [:]
    ) {
        self.definedAt = definedAt
        self.givenFields = nil
        self.overridden = overridden
        self.removed = removed
        self.merged = merged
    }

    /// Field origins by dotted path: a map-valued field at its key, every other value where it is.
    /// - Parameter value: A definition.
    /// - Returns: Path → span.
    /// Where the value at one field path was written: `fields[path]`, without deriving every
    /// origin (it walks only the keys on the way to `path`).
    /// - Parameter path: A dotted field path.
    /// - Returns: The location, if the path is known.
    public func location(of path: String) -> SourceSpan? {
        if let givenFields { return givenFields[path] }
        guard let merged else { return nil }
        // The walk of `origins(of:)`, entering only subtrees whose paths can lead to `path`; the
        // last location found wins, as the last insertion does there.
        var found: SourceSpan?
        func walk(_ value: SpecValue, _ prefix: String) {
            if case .map(let fields) = value.content {
                for field in fields {
                    let current = prefix.isEmpty ? field.key : "\(prefix).\(field.key)"
                    let isMap = field.value.fields != nil
                    if isMap && current == path { found = field.keySpan }
                    if (!isMap && current == path) || path.hasPrefix(current + ".") { walk(field.value, current) }
                }
            } else if !prefix.isEmpty && prefix == path {
                found = value.span
            }
        }
        walk(merged, "")
        return found
    }

    public static func origins(of value: SpecValue) -> [String: SourceSpan] {
        var result: [String: SourceSpan] = [:]
        func walk(_ value: SpecValue, _ prefix: String) {
            if let fields = value.fields {
                for field in fields {
                    let path = prefix.isEmpty ? field.key : "\(prefix).\(field.key)"
                    if field.value.fields != nil { result[path] = field.keySpan }
                    walk(field.value, path)
                }
            } else if !prefix.isEmpty {
                result[prefix] = value.span
            }
        }
        walk(value, "")
        return result
    }

    /// Every leaf of the merged definition: dotted path and the value as text, in the author's
    /// key order.
    public var leaves: [(path: String, value: String)] {
        var result: [(String, String)] = []
        func walk(_ value: SpecValue, _ path: String) {
            switch value.content {
            case .map(let fields):
                for field in fields { walk(field.value, path.isEmpty ? field.key : "\(path).\(field.key)") }
            case .string(let s): result.append((path, s))
            case .number(let n): result.append((path, "\(n)"))
            case .bool(let b): result.append((path, b ? "true" : "false"))
            case .null: result.append((path, "null"))
            case .list(let items):
                result.append((path, "[" + items.map { item -> String in
                    if case .string(let s) = item.content { return s }
                    if case .number(let n) = item.content { return "\(n)" }
                    return "…"
                }.joined(separator: ", ") + "]"))
            }
        }
        if let merged { walk(merged, "") }
        return result
    }

    /// The origin of a field: where its value was set and the chain of values it overrode.
    /// - Parameter path: A dotted path, e.g. `metric.threshold`.
    /// - Returns: The origin, or nil when the item has no such field.
    public func origin(of path: String) -> FieldOrigin? {
        guard let setAt = location(of: path) else { return nil }
        return FieldOrigin(setAt: setAt, overridden: overridden[path] ?? [])
    }
}
