public import VigilModel

/// The semantic difference between two renders of a fleet: per environment, per resource (by
/// kind and name), per field, each change traced to the input line responsible.
///
/// Stage: diff. Built by ``Compiler/diff(root:base:environments:order:logger:)`` with ``Differ``, one environment at a time; printed by ``DiffReport``.
public struct FleetDiff: Sendable, Hashable {
    /// What the old side is (`HEAD`, `main`, a folder).
    public var base: String
    /// What the new side is (`working tree`).
    public var head: String
    /// How many environments the two sides hold together.
    public var environmentsCompared: Int
    /// The environments that differ, sorted by name.
    public var environments: [EnvironmentDiff]

    /// Whether anything differs.
    public var isEmpty: Bool { environments.isEmpty }

    /// One row of the summary: the changes of one stage and tier.
    public struct Group: Sendable, Hashable {
        /// The stage (`production`), or `unknown` for an environment only a folder holds.
        public var stage: String
        /// The tier.
        public var tier: String
        /// Environments that differ.
        public var environments: Int
        /// Distinct tenants with a changed resource (environment-qualified).
        public var tenants: Int
        /// Resources added, removed or changed.
        public var resources: Int
        /// Distinct alert items among them.
        public var alerts: Int
    }

    /// The summary, grouped by stage (production first) and tier.
    public var summary: [Group] {
        var groups: [String: (stage: String, tier: String, environments: Int, tenants: Set<String>, resources: Int, alerts: Set<String>)] = [:]
        for environment in environments {
            let key = "\(environment.stage)\u{0}\(environment.tier)"
            var group = groups[key] ?? (environment.stage, environment.tier, 0, [], 0, [])
            group.environments += 1
            group.resources += environment.resources.count
            for resource in environment.resources {
                if let tenant = resource.tenant { group.tenants.insert("\(environment.name)/\(tenant)") }
                if let item = resource.item, item.collection == "alerts" { group.alerts.insert("\(environment.name)/\(item.id)") }
            }
            groups[key] = group
        }
        let stageOrder = ["production": 0, "staging": 1, "dev": 2]
        return groups.values.map {
            Group(stage: $0.stage, tier: $0.tier, environments: $0.environments, tenants: $0.tenants.count, resources: $0.resources, alerts: $0.alerts.count)
        }.sorted { (stageOrder[$0.stage] ?? 9, $0.stage, $0.tier) < (stageOrder[$1.stage] ?? 9, $1.stage, $1.tier) }
    }
}

/// Added, removed or changed.
public enum ChangeKind: String, Sendable, Hashable {
    /// Only the new side has it.
    case added
    /// Only the old side has it.
    case removed
    /// Both have it, with different content.
    case changed
}

/// One environment that differs.
public struct EnvironmentDiff: Sendable, Hashable {
    /// The name.
    public var name: String
    /// Its stage (`unknown` when only a rendered folder holds it).
    public var stage: String
    /// Its tier.
    public var tier: String
    /// Added (only the new side renders it), removed, or changed.
    public var change: ChangeKind
    /// For an added environment, where it is defined; for a removed one, where it was defined on
    /// the old side (when that side was compiled).
    public var definedAt: InputChange?
    /// The resources that differ, sorted by kind and name.
    public var resources: [ResourceChange]
}

/// A model item: the collection and id an artifact was rendered from.
public struct ItemReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `alerts`, `recordingRules`, `retention`, `collection`, `actionGroups`.
    public var collection: String
    /// The id.
    public var id: String

    /// Creates a reference.
    public init(collection: String, id: String) {
        self.collection = collection
        self.id = id
    }

    public var description: String { "\(collection)/\(id)" }

    public static func < (a: ItemReference, b: ItemReference) -> Bool { (a.collection, a.id) < (b.collection, b.id) }
}

/// One resource that differs.
public struct ResourceChange: Sendable, Hashable {
    /// The kind: an ARM type, a Kubernetes kind, `…/rule` for one rule of a rule group.
    public var kind: String
    /// The name (Kubernetes: `namespace/name`).
    public var name: String
    /// The artifact file it is in (the new side's where both have it).
    public var file: String
    /// Added, removed or changed.
    public var change: ChangeKind
    /// The model item it was rendered from, where known.
    public var item: ItemReference?
    /// The tenant the item was generated for.
    public var tenant: String?
    /// For a change: the fields that differ, sorted by path.
    public var fields: [FieldChange]
    /// The input changes behind it that no single field accounts for (for an added or removed
    /// resource: where its item was defined or removed).
    public var inputs: [InputChange]
}

/// One field of a resource that differs.
public struct FieldChange: Sendable, Hashable {
    /// The path, e.g. `properties.criteria.allOf[name=Metric1].threshold`.
    public var path: String
    /// The old value (nil when added).
    public var old: CanonicalValue?
    /// The new value (nil when removed).
    public var new: CanonicalValue?
    /// The input change responsible, where one is identified.
    public var cause: InputChange?
}

/// A changed input value and the line that set it.
public struct InputChange: Sendable, Hashable {
    /// Which side the location is on: the new inputs, or (for something removed) the old.
    public enum Side: String, Sendable, Hashable {
        /// The new side's inputs (the working tree).
        case head
        /// The old side's inputs (the base revision).
        case base
    }

    /// The item field (`metric.threshold`) or environment field (`tags.costCenter`); nil for a
    /// whole item.
    public var field: String?
    /// The old value as written, if any.
    public var old: String?
    /// The new value as written, if any.
    public var new: String?
    /// Where: the line that set the new value, removed it, or defined the item.
    public var at: SourceSpan?
    /// The side `at` refers to.
    public var side: Side
    /// What happened there: `set`, `removed`, `defined`.
    public var action: String

    /// Creates an input change.
    public init(field: String?, old: String? = nil, new: String? = nil, at: SourceSpan?, side: Side, action: String) {
        self.field = field
        self.old = old
        self.new = new
        self.at = at
        self.side = side
        self.action = action
    }

    /// The layer a definitions file belongs to, from its folder.
    public var layer: String? { at.map { Explainer.Layer(file: $0.file).rawValue } }
}
