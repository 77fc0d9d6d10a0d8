public import VigilModel

/// `vigil explain`: where each value of a resolved item came from.
///
/// Reads the provenance the merge records; prints it as text or as a canonical JSON tree.
public enum Explainer {
    /// One explainable item of an environment.
    public struct Item: Sendable {
        /// `alerts`, `recordingRules`, `retention`, `requires` or `collection`.
        public var collection: String
        /// The id.
        public var id: String
        /// Its provenance.
        public var provenance: Provenance
    }

    /// Every item of an environment, sorted by collection and id.
    public static func items(_ environment: ResolvedEnvironment) -> [Item] {
        var items = environment.alerts.map { Item(collection: "alerts", id: $0.id, provenance: $0.provenance) }
        items += environment.recordingRules.map { Item(collection: "recordingRules", id: $0.id, provenance: $0.provenance) }
        items += environment.retention.map { Item(collection: "retention", id: $0.table, provenance: $0.provenance) }
        items += environment.requirements.map { Item(collection: "requires", id: $0.signal, provenance: $0.provenance) }
        items += environment.collection.map { Item(collection: "collection", id: $0.id, provenance: $0.provenance) }
        return items.sorted { ($0.collection, $0.id) < ($1.collection, $1.id) }
    }

    /// The files that changed an item after it was defined, sorted.
    static func changedBy(_ provenance: Provenance) -> [String] {
        var files = Set(provenance.fields.values.map(\.file))
        files.formUnion(provenance.removed.values.map(\.removedAt.file))
        files.formUnion(provenance.overridden.values.flatMap { $0.map(\.setAt.file) })
        files.remove(provenance.definedAt.file)
        return files.sorted()
    }

    /// The text report: without an item, every item with the files that touched it, the
    /// overrides and the removals; with one, every field with its origin and what it overrode.
    /// - Returns: The text, or nil when the item does not exist.
    public static func text(_ environment: ResolvedEnvironment, item: String?) -> String? {
        let facts = environment.facts
        var out = "environment \(facts.name) (\(facts.tier.rawValue), \(facts.stage.rawValue)"
        if !facts.compliance.isEmpty { out += ", \(facts.compliance.joined(separator: ", "))" }
        out += ") defined at \(environment.definedAt)\n"
        let all = items(environment)
        if let item {
            let matches = all.filter { $0.id == item || "\($0.collection)/\($0.id)" == item }
            guard !matches.isEmpty else { return nil }
            for match in matches {
                out += "\n\(match.collection)/\(match.id)  defined at \(match.provenance.definedAt)\n"
                for (path, value) in match.provenance.leaves {
                    guard let origin = match.provenance.origin(of: path) else { continue }
                    out += "  \(path) = \(value)  ← \(origin.setAt)\n"
                    for prior in origin.overridden.reversed() { out += "      over \(prior.value)  ← \(prior.setAt)\n" }
                }
                for (path, removed) in match.provenance.removed.sorted(by: { $0.key < $1.key }) {
                    out += "  \(path) removed at \(removed.removedAt)  (was \(removed.value.value) ← \(removed.value.setAt))\n"
                }
            }
            return out
        }
        out += "\nitems (collection/id: defined at; changed by):\n"
        for entry in all {
            let changed = changedBy(entry.provenance)
            out += "  \(entry.collection)/\(entry.id): \(entry.provenance.definedAt)"
            out += changed.isEmpty ? "\n" : "; \(changed.joined(separator: ", "))\n"
        }
        var overrides = ""
        for entry in all {
            for (path, chain) in entry.provenance.overridden.sorted(by: { $0.key < $1.key }) {
                guard let origin = entry.provenance.origin(of: path),
                    let value = entry.provenance.leaves.first(where: { $0.path == path })?.value
                else { continue }
                overrides += "  \(entry.collection)/\(entry.id) \(path) = \(value) ← \(origin.setAt)"
                overrides += chain.reversed().map { ", over \($0.value) ← \($0.setAt)" }.joined() + "\n"
            }
        }
        if !overrides.isEmpty { out += "\noverrides (values that differ from where the item was defined):\n" + overrides }
        if !environment.removedItems.isEmpty {
            out += "\nremoved:\n"
            for removed in environment.removedItems {
                out += "  \(removed.collection)/\(removed.id): defined at \(removed.definedAt), removed at \(removed.removedAt)\n"
            }
        }
        return out
    }
}
