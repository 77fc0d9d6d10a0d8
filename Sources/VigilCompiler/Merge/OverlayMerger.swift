import OrderedCollections
public import VigilModel

/// One layer of the merge: a name for messages and the documents that make it up.
struct MergeLayer {
    /// "baseline", "tier overlay 'multi-tenant'", "environment overrides", …
    var name: String
    /// Whether the layer's items are patches (overlays, overrides) or definitions (baselines).
    var isPatch: Bool
    /// The collections of each document of the layer: (document path, collection key → map).
    var documents: [(path: String, collections: SpecValue)]
}

/// A resolved item of a keyed collection: its merged value and where it was first defined.
public struct MergedItem: Sendable {
    /// The id.
    public var id: String
    /// The merged value (each leaf keeps the span of the layer that set it).
    public var value: SpecValue
    /// Where the id was first defined.
    public var definedAt: SourceSpan
}

/// The merged keyed collections of one environment, before selectors.
public struct MergedCollections: Sendable {
    /// Items by collection key (`alerts`, `retention`, …), each sorted by id.
    public var items: [String: [MergedItem]]
    /// Removed items by collection key and id: where the `null` that removed it was written.
    public var removed: [String: [String: SourceSpan]]
}

/// Merges the layers of one environment with JSON Merge Patch (RFC 7386) over maps keyed by id.
///
/// Stage: merge. Layer order: baseline → tier overlay → compliance overlays (by name) → stage
/// overlay → the environment's `overrides`.
struct OverlayMerger {
    static let collectionKeys = ["alerts", "instances", "recordingRules", "requires", "retention", "ruleGroups"]

    static func objectSchema(forCollection key: String) -> ObjectSchema? {
        for field in DefinitionsSchema.collections where field.name == key {
            if case .map(_, .object(let object)) = field.schema { return object }
        }
        return nil
    }

    /// The layers that apply to an environment.
    static func layers(for facts: EnvironmentFacts, environment: SpecDocument, specs: SpecSet) -> [MergeLayer] {
        func collections(_ document: SpecDocument) -> (path: String, collections: SpecValue) {
            (document.path, document.root)
        }
        var layers = [MergeLayer(name: "baseline", isPatch: false, documents: specs.baselines.map(collections))]
        let overlays = specs.overlays
        func target(_ document: SpecDocument, _ key: String) -> String? { document.root["appliesTo"]?[key]?.string }
        let tier = overlays.filter { target($0, "tier") == facts.tier.rawValue }
        if !tier.isEmpty {
            layers.append(MergeLayer(name: "tier overlay '\(facts.tier.rawValue)'", isPatch: true, documents: tier.map(collections)))
        }
        for compliance in facts.compliance {
            let matching = overlays.filter { target($0, "compliance") == compliance }
            if !matching.isEmpty {
                layers.append(MergeLayer(name: "compliance overlay '\(compliance)'", isPatch: true, documents: matching.map(collections)))
            }
        }
        let stage = overlays.filter { target($0, "stage") == facts.stage.rawValue }
        if !stage.isEmpty {
            layers.append(MergeLayer(name: "stage overlay '\(facts.stage.rawValue)'", isPatch: true, documents: stage.map(collections)))
        }
        if let overrides = environment.root["overrides"], !overrides.isNull {
            layers.append(MergeLayer(name: "environment overrides", isPatch: true, documents: [(environment.path, overrides)]))
        }
        return layers
    }

    func merge(_ layers: [MergeLayer], diagnostics: inout Diagnostics) -> MergedCollections {
        var result = MergedCollections(items: [:], removed: [:])
        for key in Self.collectionKeys {
            var state = OrderedDictionary<String, MergedItem>()
            var removed: [String: SourceSpan] = [:]
            var patchedAt: [String: SourceSpan] = [:]
            for layer in layers {
                // Gather the layer's entries; the same id twice in one layer is an error.
                var entries = OrderedDictionary<String, SpecField>()
                for document in layer.documents {
                    for field in document.collections[key]?.fields ?? [] {
                        if let first = entries[field.key] {
                            diagnostics.append(Diagnostic(
                                "merge/duplicate-id", "'\(field.key)' is defined twice in the \(layer.name)",
                                at: field.keySpan,
                                hint: "ids are unique within a layer; change it in a later layer instead",
                                notes: [DiagnosticNote("first defined here", at: first.keySpan)]))
                            continue
                        }
                        entries[field.key] = field
                    }
                }
                for (id, field) in entries {
                    if state[id] != nil, !field.value.isNull { patchedAt[id] = field.keySpan }
                    apply(field, id: id, collection: key, layer: layer, state: &state, removed: &removed, diagnostics: &diagnostics)
                }
            }
            // A patched item must still be a valid, complete item.
            if let schema = Self.objectSchema(forCollection: key) {
                for (id, at) in patchedAt.sorted(by: { $0.key < $1.key }) {
                    guard let item = state[id] else { continue }
                    var validator = SchemaValidator()
                    if !validator.checkComplete(item.value, object: schema, context: id) {
                        diagnostics.append(Diagnostic(
                            "merge/invalid-result", "after this patch, '\(id)' in \(key) is no longer a valid item", at: at,
                            hint: "patch the conflicting fields together (set the one you replace to null)",
                            notes: validator.diagnostics.sorted.map { DiagnosticNote($0.message, at: $0.location) }
                                + [DiagnosticNote("'\(id)' defined here", at: item.definedAt)]))
                    }
                }
            }
            result.items[key] = state.values.sorted { $0.id < $1.id }
            result.removed[key] = removed
        }
        return result
    }

    private func apply(
        _ field: SpecField, id: String, collection: String, layer: MergeLayer,
        state: inout OrderedDictionary<String, MergedItem>, removed: inout [String: SourceSpan],
        diagnostics: inout Diagnostics
    ) {
        if field.value.isNull {
            if state.removeValue(forKey: id) != nil {
                removed[id] = field.keySpan
            } else {
                let hint = Suggestions.closest(to: id, in: Array(state.keys)).map { "did you mean '\($0)'?" }
                    ?? "only ids defined by an earlier layer can be removed"
                diagnostics.append(Diagnostic(
                    "merge/remove-missing", "cannot remove '\(id)' from \(collection): no earlier layer defines it",
                    at: field.keySpan, hint: hint,
                    notes: removed[id].map { [DiagnosticNote("already removed here", at: $0)] } ?? []))
            }
            return
        }
        if let existing = state[id] {
            let merged = Self.mergePatch(existing.value, field.value)
            state[id] = MergedItem(id: id, value: merged, definedAt: existing.definedAt)
            return
        }
        // A new id: it must be a complete item.
        if layer.isPatch, let schema = Self.objectSchema(forCollection: collection) {
            var validator = SchemaValidator()
            if !validator.checkComplete(field.value, object: schema, context: id) {
                let closest = Suggestions.closest(to: id, in: Array(state.keys) + Array(removed.keys))
                let missing = validator.diagnostics.sorted
                var notes = missing.prefix(3).map { DiagnosticNote($0.message, at: $0.location) }
                if missing.count > 3 { notes.append(DiagnosticNote("and \(missing.count - 3) more fields a new item needs")) }
                if let gone = removed[id] { notes.insert(DiagnosticNote("'\(id)' was removed here", at: gone), at: 0) }
                diagnostics.append(Diagnostic(
                    "merge/unknown-target",
                    "'\(id)' patches nothing in \(collection) and is not a complete item",
                    at: field.keySpan,
                    hint: closest.map { "did you mean '\($0)'?" } ?? "define it completely, or patch an id an earlier layer defines",
                    notes: notes))
                return
            }
        }
        state[id] = MergedItem(id: id, value: Self.dropNulls(field.value), definedAt: field.keySpan)
    }

    /// RFC 7386: maps merge recursively, `null` removes, anything else replaces.
    static func mergePatch(_ target: SpecValue, _ patch: SpecValue) -> SpecValue {
        guard let patchFields = patch.fields else { return patch }
        var fields = target.fields ?? []
        for field in patchFields {
            let index = fields.firstIndex { $0.key == field.key }
            if field.value.isNull {
                if let index { fields.remove(at: index) }
            } else if let index {
                fields[index].value = mergePatch(fields[index].value, field.value)
            } else {
                fields.append(SpecField(key: field.key, keySpan: field.keySpan, value: dropNulls(field.value)))
            }
        }
        return SpecValue(.map(fields), at: target.fields == nil ? patch.span : target.span)
    }

    /// A new value added by a patch carries no `null`s (they would remove nothing).
    static func dropNulls(_ value: SpecValue) -> SpecValue {
        guard let fields = value.fields else { return value }
        return SpecValue(.map(fields.filter { !$0.value.isNull }.map {
            SpecField(key: $0.key, keySpan: $0.keySpan, value: dropNulls($0.value))
        }), at: value.span)
    }
}
