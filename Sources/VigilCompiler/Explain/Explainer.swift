public import VigilModel

/// `vigil explain`: where each value of a resolved item came from.
///
/// Reads the provenance the merge records; prints it as text or as a canonical JSON tree (the
/// schema is `docs/explain-schema.md`, machine-readable in `docs/schemas/explain.schema.json`).
public enum Explainer {
    /// The version written in the JSON's `schemaVersion`; bumped on any incompatible change.
    public static let schemaVersion = 1

    /// One explainable item of an environment.
    public struct Item: Sendable {
        /// `alerts`, `recordingRules`, `retention`, `requires` or `collection`.
        public var collection: String
        /// The id.
        public var id: String
        /// Its provenance.
        public var provenance: Provenance
    }

    /// The layer a definitions file belongs to, from its top-level folder; files of the shipped
    /// library (`library:/baselines/…`) belong to the layer of the folder after `library:/`.
    public enum Layer: String, Sendable, CaseIterable {
        /// `baselines/…`
        case baseline
        /// `overlays/…`
        case overlay
        /// `environments/…`
        case environment
        /// `templates/…`
        case template
        /// Anything else, e.g. `vigil.yaml`.
        case other

        /// The layer of a display path.
        /// - Parameter file: A display path, e.g. `overlays/prod.yaml` or `library:/baselines/data/redis.yaml`.
        public init(file: String) {
            var path = Substring(file)
            if path.hasPrefix("library:/") { path = path.dropFirst("library:/".count) }
            if path.hasPrefix("baselines/") {
                self = .baseline
            } else if path.hasPrefix("overlays/") {
                self = .overlay
            } else if path.hasPrefix("environments/") {
                self = .environment
            } else if path.hasPrefix("templates/") {
                self = .template
            } else {
                self = .other
            }
        }
    }

    /// The collections `items` draws from, sorted (the `collection` enum of the JSON schema).
    public static let collections = sources.map(\.name).sorted()

    /// Every item of an environment, sorted by collection and id.
    public static func items(_ environment: ResolvedEnvironment) -> [Item] {
        sources.flatMap { collection in
            collection.entries(environment).map { Item(collection: collection.name, id: $0.id, provenance: $0.provenance) }
        }.sorted { ($0.collection, $0.id) < ($1.collection, $1.id) }
    }

    /// The provenance of one item of ``items(_:)``, found in its own collection without listing
    /// every item.
    public static func provenance(of collection: String, _ id: String, in environment: ResolvedEnvironment) -> Provenance? {
        sources.first { $0.name == collection }?.entries(environment).first { $0.id == id }?.provenance
    }

    /// Each collection of items with provenance, and how to list its ids and provenance.
    private static let sources: [(name: String, entries: @Sendable (ResolvedEnvironment) -> [(id: String, provenance: Provenance)])] = [
        ("alerts", { $0.alerts.map { ($0.id, $0.provenance) } }),
        ("recordingRules", { $0.recordingRules.map { ($0.id, $0.provenance) } }),
        ("retention", { $0.retention.map { ($0.table, $0.provenance) } }),
        ("requires", { $0.requirements.map { ($0.signal, $0.provenance) } }),
        ("collection", { $0.collection.map { ($0.id, $0.provenance) } }),
        ("probes", { $0.probes.map { ($0.id, $0.provenance) } }),
        ("monitors", { $0.monitors.map { ($0.id, $0.provenance) } }),
        ("exports", { $0.exports.map { ($0.id, $0.provenance) } }),
        ("maintenance", { $0.maintenanceWindows.map { ($0.id, $0.provenance) } }),
        ("slos", { $0.slos.map { ($0.id, $0.provenance) } }),
        ("dashboards", { $0.dashboards.map { ($0.id, $0.provenance) } }),
    ]

    /// The items an ITEM argument names: by id, or by `collection/id`.
    static func matches(_ items: [Item], _ item: String) -> [Item] {
        items.filter { $0.id == item || "\($0.collection)/\($0.id)" == item }
    }

    /// The files that changed an item after it was defined, sorted.
    static func changedBy(_ provenance: Provenance) -> [String] {
        var files = Set(provenance.fields.values.map(\.file))
        files.formUnion(provenance.removed.values.map(\.removedAt.file))
        files.formUnion(provenance.overridden.values.flatMap { $0.map(\.setAt.file) })
        files.remove(provenance.definedAt.file)
        return files.sorted()
    }

    /// One field of an item: its value as text and its origin.
    struct Field {
        var path: String
        var value: String
        var origin: FieldOrigin
    }

    /// The fields of an item with a recorded origin, in the author's key order.
    static func fields(_ provenance: Provenance) -> [Field] {
        provenance.leaves.compactMap { leaf in
            provenance.origin(of: leaf.path).map { Field(path: leaf.path, value: leaf.value, origin: $0) }
        }
    }

    /// The removed fields of an item, sorted by path.
    static func removedFields(_ provenance: Provenance) -> [(path: String, field: RemovedField)] {
        provenance.removed.sorted { $0.key < $1.key }.map { (path: $0.key, field: $0.value) }
    }

    /// One overridden value of an environment's items.
    struct Override {
        var item: Item
        var field: Field
    }

    /// Every overridden value, sorted by collection, id and path.
    static func overrides(_ items: [Item]) -> [Override] {
        items.flatMap { item in
            item.provenance.overridden.keys.sorted().compactMap { path -> Override? in
                guard let origin = item.provenance.origin(of: path),
                    let value = item.provenance.leaves.first(where: { $0.path == path })?.value
                else { return nil }
                return Override(item: item, field: Field(path: path, value: value, origin: origin))
            }
        }
    }

    /// A location as text: `file:line:col (layer)`.
    static func describe(_ span: SourceSpan) -> String {
        "\(span) (\(Layer(file: span.file).rawValue))"
    }

    // MARK: - Text

    /// The text report: without an item, every item with the files that touched it, the
    /// overrides and the removals; with one, every field with its origin and what it overrode.
    /// Every location is followed by its layer, e.g. `overlays/prod.yaml:3:20 (overlay)`.
    /// - Parameters:
    ///   - environment: The resolved environment.
    ///   - item: An id or `collection/id`, or nil for the environment view.
    /// - Returns: The text, or nil when the item does not exist.
    public static func text(_ environment: ResolvedEnvironment, item: String?) -> String? {
        let facts = environment.facts
        var out = "environment \(facts.name) (\(facts.tier.rawValue), \(facts.stage.rawValue)"
        if !facts.compliance.isEmpty { out += ", \(facts.compliance.joined(separator: ", "))" }
        out += ") defined at \(describe(environment.definedAt))\n"
        let all = items(environment)
        if let item {
            let matches = matches(all, item)
            guard !matches.isEmpty else { return nil }
            for match in matches {
                out += "\n\(match.collection)/\(match.id)  defined at \(describe(match.provenance.definedAt))\n"
                for field in fields(match.provenance) {
                    out += "  \(field.path) = \(field.value)  ← \(describe(field.origin.setAt))\n"
                    for prior in field.origin.overridden.reversed() {
                        out += "      over \(prior.value)  ← \(describe(prior.setAt))\n"
                    }
                }
                for (path, removed) in removedFields(match.provenance) {
                    out += "  \(path) removed at \(describe(removed.removedAt))"
                    out += ", was \(removed.value.value)  ← \(describe(removed.value.setAt))\n"
                }
            }
            return out
        }
        out += "\nitems (collection/id: defined at; changed by):\n"
        for entry in all {
            let changed = changedBy(entry.provenance)
            out += "  \(entry.collection)/\(entry.id): \(describe(entry.provenance.definedAt))"
            out += changed.isEmpty ? "\n" : "; \(changed.joined(separator: ", "))\n"
        }
        var overrides = ""
        for entry in self.overrides(all) {
            overrides += "  \(entry.item.collection)/\(entry.item.id) \(entry.field.path) = \(entry.field.value)"
            overrides += " ← \(describe(entry.field.origin.setAt))"
            overrides += entry.field.origin.overridden.reversed().map { ", over \($0.value) ← \(describe($0.setAt))" }.joined()
            overrides += "\n"
        }
        if !overrides.isEmpty { out += "\noverrides (values that differ from where the item was defined):\n" + overrides }
        if !environment.removedItems.isEmpty {
            out += "\nremoved:\n"
            for removed in environment.removedItems {
                out += "  \(removed.collection)/\(removed.id): defined at \(describe(removed.definedAt))"
                out += ", removed at \(describe(removed.removedAt))\n"
            }
        }
        return out
    }

    // MARK: - JSON

    /// The JSON report, for ``CanonicalJSONWriter``: the same content as ``text(_:item:)``, in the
    /// shape documented in `docs/explain-schema.md`. Without an item: `items` (collection, id,
    /// `definedAt`, `changedBy`), `overrides` and `removed`. With one: only the matching items,
    /// each with `fields` and `removedFields`. Lists are sorted as in the text view.
    /// - Parameters:
    ///   - environment: The resolved environment.
    ///   - item: An id or `collection/id`, or nil for the environment view.
    /// - Returns: The tree, or nil when the item does not exist.
    public static func json(_ environment: ResolvedEnvironment, item: String?) -> CanonicalValue? {
        let facts = environment.facts
        let header: [String: CanonicalValue] = [
            "schemaVersion": .int(schemaVersion),
            "environment": .object([
                "name": .string(facts.name),
                "tier": .string(facts.tier.rawValue),
                "stage": .string(facts.stage.rawValue),
                "compliance": .array(facts.compliance.map(CanonicalValue.string)),
                "definedAt": location(environment.definedAt),
            ]),
        ]
        let all = items(environment)
        if let item {
            let matches = matches(all, item)
            guard !matches.isEmpty else { return nil }
            return .object(header.merging(["items": .array(matches.map { itemValue($0, detailed: true) })]) { $1 })
        }
        return .object(
            header.merging([
                "items": .array(all.map { itemValue($0, detailed: false) }),
                "overrides": .array(overrides(all).map(overrideValue)),
                "removed": .array(environment.removedItems.map(removedItemValue)),
            ]) { $1 })
    }

    /// A location: `{file, line, column, layer}`.
    static func location(_ span: SourceSpan) -> CanonicalValue {
        .object([
            "file": .string(span.file),
            "line": .int(span.start.line),
            "column": .int(span.start.column),
            "layer": .string(Layer(file: span.file).rawValue),
        ])
    }

    /// A prior value and where it was written.
    static func priorValue(_ prior: PriorValue) -> CanonicalValue {
        .object(["value": .string(prior.value), "setAt": location(prior.setAt)])
    }

    static func itemValue(_ item: Item, detailed: Bool) -> CanonicalValue {
        var value: [String: CanonicalValue] = [
            "collection": .string(item.collection),
            "id": .string(item.id),
            "definedAt": location(item.provenance.definedAt),
            "changedBy": .array(changedBy(item.provenance).map(CanonicalValue.string)),
        ]
        if detailed {
            value["fields"] = .array(fields(item.provenance).map(fieldValue))
            value["removedFields"] = .array(
                removedFields(item.provenance).map { entry in
                    .object([
                        "path": .string(entry.path),
                        "value": .string(entry.field.value.value),
                        "setAt": location(entry.field.value.setAt),
                        "removedAt": location(entry.field.removedAt),
                    ])
                })
        }
        return .object(value)
    }

    /// The members of a field: path, value, where it was set and what it overrode, newest first.
    static func fieldMembers(_ field: Field) -> [String: CanonicalValue] {
        [
            "path": .string(field.path),
            "value": .string(field.value),
            "setAt": location(field.origin.setAt),
            "overridden": .array(field.origin.overridden.reversed().map(priorValue)),
        ]
    }

    static func fieldValue(_ field: Field) -> CanonicalValue {
        .object(fieldMembers(field))
    }

    static func overrideValue(_ entry: Override) -> CanonicalValue {
        var value = fieldMembers(entry.field)
        value["collection"] = .string(entry.item.collection)
        value["id"] = .string(entry.item.id)
        return .object(value)
    }

    static func removedItemValue(_ removed: RemovedItem) -> CanonicalValue {
        .object([
            "collection": .string(removed.collection),
            "id": .string(removed.id),
            "definedAt": location(removed.definedAt),
            "removedAt": location(removed.removedAt),
        ])
    }
}
