/// Log Analytics retention of one table in the environment's workspace.
public struct RetentionPolicy: Sendable, Hashable {
    /// The table name.
    public var table: String
    /// `Analytics`, `Basic` or `Auxiliary`; nil leaves the plan unchanged.
    public var plan: String?
    /// Interactive retention in days; nil means the workspace default.
    public var retentionInDays: Int?
    /// Total retention in days (interactive plus long-term).
    public var totalRetentionInDays: Int?
    /// Signals this retention satisfies, sorted.
    public var covers: [String]
    /// Where its values came from.
    public var provenance: Provenance

    /// Creates a retention policy.
    public init(
        table: String, plan: String?, retentionInDays: Int?, totalRetentionInDays: Int?, covers: [String],
        provenance: Provenance
    ) {
        self.table = table
        self.plan = plan
        self.retentionInDays = retentionInDays
        self.totalRetentionInDays = totalRetentionInDays
        self.covers = covers
        self.provenance = provenance
    }
}

/// A required signal that applies to the environment.
public struct Requirement: Sendable, Hashable {
    /// The signal id, e.g. `backup.freshness`.
    public var signal: String
    /// What must be monitored.
    public var description: String
    /// Where it was required (the first layer that declared it).
    public var provenance: Provenance

    /// Creates a requirement.
    public init(signal: String, description: String, provenance: Provenance) {
        self.signal = signal
        self.description = description
        self.provenance = provenance
    }
}

/// One source that makes Log Analytics tables collected: a diagnostic setting, a data collection
/// rule or the Container Insights settings.
public struct CollectionSource: Sendable, Hashable {
    /// The source's id.
    public var id: String
    /// `diagnosticSetting`, `dataCollectionRule` or `containerInsights`.
    public var kind: String
    /// The monitored resource key, for diagnostic settings.
    public var resource: String?
    /// Log categories, for diagnostic settings.
    public var categories: [String]
    /// The tables it fills, sorted.
    public var tables: [String]
    /// Namespaces whose logs are collected, for Container Insights.
    public var namespaces: [String]
    /// Container Insights: also collect the namespaces of the environment's tenants.
    public var tenantNamespaces: Bool = false
    /// Where its values came from.
    public var provenance: Provenance

    /// Creates a collection source.
    public init(
        id: String, kind: String, resource: String?, categories: [String], tables: [String], namespaces: [String],
        provenance: Provenance
    ) {
        self.id = id
        self.kind = kind
        self.resource = resource
        self.categories = categories
        self.tables = tables
        self.namespaces = namespaces
        self.provenance = provenance
    }
}

/// A recording rule.
public struct RecordingRule: Sendable, Hashable {
    /// The id.
    public var id: String
    /// The recorded metric name.
    public var record: String
    /// The PromQL expression.
    public var expr: String
    /// The rule group.
    public var group: String
    /// Labels (writers sort keys).
    public var labels: [String: String]
    /// Where its values came from.
    public var provenance: Provenance

    /// Creates a recording rule.
    public init(id: String, record: String, expr: String, group: String, labels: [String: String], provenance: Provenance) {
        self.id = id
        self.record = record
        self.expr = expr
        self.group = group
        self.labels = labels
        self.provenance = provenance
    }
}

/// One tenant of a multi-tenant environment.
public struct Tenant: Sendable, Hashable {
    /// The tenant id (its key).
    public var id: String
    /// A readable name.
    public var displayName: String?
    /// Its Kubernetes namespace.
    public var namespace: String?
    /// Its ingress host.
    public var host: String?
    /// Its PostgreSQL database.
    public var database: String?
    /// The action-group key its alerts route to by default.
    public var route: String?

    /// Creates a tenant.
    public init(id: String, displayName: String?, namespace: String?, host: String?, database: String?, route: String?) {
        self.id = id
        self.displayName = displayName
        self.namespace = namespace
        self.host = host
        self.database = database
        self.route = route
    }
}

/// An item a layer removed with `null`.
public struct RemovedItem: Sendable, Hashable {
    /// The collection (`alerts`, `retention`, …).
    public var collection: String
    /// The item id.
    public var id: String
    /// Where it had been defined.
    public var definedAt: SourceSpan
    /// Where the `null` that removed it was written.
    public var removedAt: SourceSpan
    /// The signals it covered before it was removed, sorted.
    public var covers: [String]

    /// Creates a removed item.
    public init(collection: String, id: String, definedAt: SourceSpan, removedAt: SourceSpan, covers: [String] = []) {
        self.collection = collection
        self.id = id
        self.definedAt = definedAt
        self.removedAt = removedAt
        self.covers = covers
    }
}
