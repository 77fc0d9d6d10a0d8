/// One environment after every layer is merged and selectors are applied: what policy checks and
/// renderers read.
///
/// Stage: produced by `EnvironmentResolver` (merge), consumed by check and render. Collections are
/// sorted by id so that nothing downstream depends on input order.
public struct ResolvedEnvironment: Sendable, Hashable {
    /// The facts selectors match on.
    public var facts: EnvironmentFacts
    /// Where the environment's file is.
    public var definedAt: SourceSpan
    /// The default owner of the environment's items.
    public var owner: String?
    /// Azure scopes.
    public var azure: AzureScope
    /// Recovery objectives.
    public var recovery: RecoveryObjectives
    /// Tags every Azure resource carries (writers sort keys).
    public var tags: [String: String]
    /// Action groups, sorted by key.
    public var actionGroups: [ActionGroup]
    /// Alerts, sorted by id.
    public var alerts: [AlertRule]
    /// Recording rules, sorted by id.
    public var recordingRules: [RecordingRule] = []
    /// Evaluation intervals of Prometheus rule groups, by group id.
    public var ruleGroupIntervals: [String: Duration] = [:]
    /// Table retention, sorted by table.
    public var retention: [RetentionPolicy] = []
    /// Required signals that apply, sorted by signal.
    public var requirements: [Requirement] = []
    /// Log collection sources, sorted by id.
    public var collection: [CollectionSource] = []
    /// Tenants (multi-tenant environments), sorted by id.
    public var tenants: [Tenant] = []
    /// Items removed by a layer, sorted by collection and id.
    public var removedItems: [RemovedItem] = []

    /// The tables some collection source fills, sorted.
    public var collectedTables: [String] { Array(Set(collection.flatMap(\.tables))).sorted() }

    /// Creates a resolved environment.
    public init(
        facts: EnvironmentFacts, definedAt: SourceSpan, owner: String?, azure: AzureScope,
        recovery: RecoveryObjectives, tags: [String: String], actionGroups: [ActionGroup], alerts: [AlertRule]
    ) {
        self.facts = facts
        self.definedAt = definedAt
        self.owner = owner
        self.azure = azure
        self.recovery = recovery
        self.tags = tags
        self.actionGroups = actionGroups.sorted { $0.key < $1.key }
        self.alerts = alerts.sorted { $0.id < $1.id }
    }

    /// The environment name.
    public var name: String { facts.name }
}
