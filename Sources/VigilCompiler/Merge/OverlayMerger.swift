import Foundation
import OrderedCollections
public import VigilModel

/// One layer of the merge: a name for messages and the documents that make it up.
struct MergeLayer {
    /// Which layer of the fixed order this is.
    enum Kind: Equatable {
        case baseline, tier, compliance, stage, overrides
    }
    /// "baseline", "tier overlay 'multi-tenant'", "environment overrides", …
    var name: String
    /// The layer's place in the order.
    var kind: Kind
    /// The collections of each document of the layer: (document path, map holding the
    /// collections by key).
    var documents: [(path: String, collections: SpecValue)]

    /// Whether the layer's items are patches (overlays, overrides) or definitions (baselines).
    var isPatch: Bool { kind != .baseline }
}

/// A resolved item of a keyed collection: its merged value and where it came from.
public struct MergedItem: Sendable, Equatable {
    /// The id.
    public var id: String
    /// The merged value (each leaf keeps the span of the layer that set it).
    public var value: SpecValue
    /// Where the id was first defined.
    public var definedAt: SourceSpan
    /// Values later layers replaced, by leaf path, oldest first.
    public var overridden: [String: [PriorValue]] = [:]
    /// Leaves later layers removed.
    public var removedFields: [String: RemovedField] = [:]

    /// The item's provenance.
    public var provenance: Provenance {
        Provenance(definedAt: definedAt, merged: value, overridden: overridden, removed: removedFields)
    }
}

/// The merged keyed collections of one environment, before selectors.
public struct MergedCollections: Sendable {
    /// Items by collection key (`alerts`, `retention`, …), each sorted by id.
    public var items: [String: [MergedItem]]
    /// Removed items by collection key.
    public var removed: [String: [RemovedItem]]
}

/// Merges the layers of one environment with JSON Merge Patch (RFC 7386) over maps keyed by id.
///
/// Stage: merge. Layer order: baseline → tier overlay → compliance overlays (by name) → stage
/// overlay → the environment's `overrides`. Strict: a partial item under an unknown id, removing
/// a missing id, the same id twice in a layer, compliance overlays that disagree and removing or
/// narrowing a requirement are errors.
struct OverlayMerger {
    static let collectionKeys = DefinitionsSchema.collections.map(\.name).sorted()

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
        var layers = [MergeLayer(name: "baseline", kind: .baseline, documents: specs.baselines.map(collections))]
        let overlays = specs.overlays
        func target(_ document: SpecDocument, _ key: String) -> String? { document.root["appliesTo"]?[key]?.string }
        let tier = overlays.filter { target($0, "tier") == facts.tier.rawValue }
        if !tier.isEmpty {
            layers.append(MergeLayer(name: "tier overlay '\(facts.tier.rawValue)'", kind: .tier, documents: tier.map(collections)))
        }
        for compliance in facts.compliance {
            let matching = overlays.filter { target($0, "compliance") == compliance }
            if !matching.isEmpty {
                layers.append(MergeLayer(
                    name: "compliance overlay '\(compliance)'", kind: .compliance, documents: matching.map(collections)))
            }
        }
        let stage = overlays.filter { target($0, "stage") == facts.stage.rawValue }
        if !stage.isEmpty {
            layers.append(MergeLayer(name: "stage overlay '\(facts.stage.rawValue)'", kind: .stage, documents: stage.map(collections)))
        }
        // The environment's own SLOs (`slos:` at its top level) join its overrides layer.
        var own: [(String, SpecValue)] = []
        if let slos = environment.root.fields?.first(where: { $0.key == "slos" }), !slos.value.isNull {
            own.append((environment.path, SpecValue(.map([slos]), at: slos.keySpan)))
        }
        if let overrides = environment.root["overrides"], !overrides.isNull { own.append((environment.path, overrides)) }
        if !own.isEmpty {
            layers.append(MergeLayer(name: "environment overrides", kind: .overrides, documents: own))
        }
        return layers
    }

    /// Merges the given collections of every layer.
    func merge(_ layers: [MergeLayer], collections keys: [String] = collectionKeys, diagnostics: inout Diagnostics) -> MergedCollections {
        var result = MergedCollections(items: [:], removed: [:])
        checkComplianceConflicts(layers.filter { $0.kind == .compliance }, collections: keys, diagnostics: &diagnostics)
        for key in keys {
            var state = OrderedDictionary<String, MergedItem>()
            var removed: [String: RemovedItem] = [:]
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
            result.removed[key] = removed.values.sorted { $0.id < $1.id }
        }
        return result
    }

    private func apply(
        _ field: SpecField, id: String, collection: String, layer: MergeLayer,
        state: inout OrderedDictionary<String, MergedItem>, removed: inout [String: RemovedItem],
        diagnostics: inout Diagnostics
    ) {
        if collection == "requires", layer.isPatch, let existing = state[id] {
            // Requirements only accumulate: a layer may add one, never lift or narrow one.
            if field.value.isNull || field.value["when"] != nil {
                diagnostics.append(Diagnostic(
                    "merge/requirement-removed",
                    field.value.isNull
                        ? "the \(layer.name) removes required signal '\(id)'"
                        : "the \(layer.name) changes where required signal '\(id)' applies",
                    at: field.keySpan,
                    hint: "requirements only accumulate; lift one for an environment with a waiver in vigil.yaml",
                    notes: [DiagnosticNote("required here", at: existing.definedAt)]))
                return
            }
        }
        if field.value.isNull {
            if let existing = state.removeValue(forKey: id) {
                removed[id] = RemovedItem(
                    collection: collection, id: id, definedAt: existing.definedAt, removedAt: field.keySpan,
                    covers: Array(Set((existing.value["covers"]?.list ?? []).compactMap(\.string))).sorted())
            } else {
                let hint = Suggestions.closest(to: id, in: Array(state.keys)).map { "did you mean '\($0)'?" }
                    ?? "only ids defined by an earlier layer can be removed"
                diagnostics.append(Diagnostic(
                    "merge/remove-missing", "cannot remove '\(id)' from \(collection): no earlier layer defines it",
                    at: field.keySpan, hint: hint,
                    notes: removed[id].map { [DiagnosticNote("already removed here", at: $0.removedAt)] } ?? []))
            }
            return
        }
        if let index = state.index(forKey: id) {
            // Written back by position: the key is hashed once.
            var existing = state.values[index]
            existing.value = Self.mergePatch(
                existing.value, field.value, path: "", overridden: &existing.overridden, removed: &existing.removedFields)
            state.values[index] = existing
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
                if let gone = removed[id] { notes.insert(DiagnosticNote("'\(id)' was removed here", at: gone.removedAt), at: 0) }
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
        var overridden: [String: [PriorValue]] = [:]
        var removed: [String: RemovedField] = [:]
        return mergePatch(target, patch, path: "", overridden: &overridden, removed: &removed)
    }

    /// RFC 7386, recording every value a patch replaces or removes.
    static func mergePatch(
        _ target: SpecValue, _ patch: SpecValue, path: String, overridden: inout [String: [PriorValue]],
        removed: inout [String: RemovedField]
    ) -> SpecValue {
        guard let patchFields = patch.fields else {
            for (leaf, prior) in leaves(target, path: path) { overridden[leaf, default: []].append(prior) }
            return patch
        }
        guard var fields = target.fields else {
            for (leaf, prior) in leaves(target, path: path) { overridden[leaf, default: []].append(prior) }
            return dropNulls(patch)
        }
        for field in patchFields {
            let childPath = path.isEmpty ? field.key : "\(path).\(field.key)"
            let index = fields.firstIndex { $0.key == field.key }
            if field.value.isNull {
                if let index {
                    for (leaf, prior) in leaves(fields[index].value, path: childPath) {
                        removed[leaf] = RemovedField(value: prior, removedAt: field.keySpan)
                    }
                    fields.remove(at: index)
                }
            } else if let index {
                fields[index].value = mergePatch(
                    fields[index].value, field.value, path: childPath, overridden: &overridden, removed: &removed)
            } else {
                removed = removed.filter { !($0.key == childPath || $0.key.hasPrefix(childPath + ".")) }
                fields.append(SpecField(key: field.key, keySpan: field.keySpan, value: dropNulls(field.value)))
            }
        }
        return SpecValue(.map(fields), at: target.span)
    }

    /// Every leaf of a value with its path and display text.
    static func leaves(_ value: SpecValue, path: String) -> [(String, PriorValue)] {
        if let fields = value.fields {
            return fields.flatMap { leaves($0.value, path: path.isEmpty ? $0.key : "\(path).\($0.key)") }
        }
        return [(path, PriorValue(value: displayText(value), setAt: value.span))]
    }

    /// A value as one line of text: strings bare, numbers canonical, lists and maps compact JSON.
    static func displayText(_ value: SpecValue) -> String {
        switch value.content {
        case .string(let s): return s
        default: return CanonicalJSONWriter().compact(canonical(value))
        }
    }

    /// A spec value as a canonical tree (spans dropped).
    static func canonical(_ value: SpecValue) -> CanonicalValue {
        switch value.content {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .decimal(n)
        case .string(let s): return .string(s)
        case .list(let items): return .array(items.map(canonical))
        case .map(let fields):
            var object: CanonicalObject = [:]
            for field in fields { object[field.key] = canonical(field.value) }
            return .object(object)
        }
    }

    /// A new value added by a patch carries no `null`s (they would remove nothing).
    static func dropNulls(_ value: SpecValue) -> SpecValue {
        guard let fields = value.fields, holdsNull(value) else { return value }
        return SpecValue(.map(fields.filter { !$0.value.isNull }.map {
            SpecField(key: $0.key, keySpan: $0.keySpan, value: dropNulls($0.value))
        }), at: value.span)
    }

    /// Whether a map holds a `null` at any depth of maps (what ``dropNulls(_:)`` would remove).
    static func holdsNull(_ value: SpecValue) -> Bool {
        // In place: no copy of the fields passed over.
        guard case .map(let fields) = value.content else { return false }
        for index in fields.indices where fields[index].value.isNull || holdsNull(fields[index].value) { return true }
        return false
    }

    /// Two compliance overlays may not set one field to different values: the order between
    /// compliance classes is alphabetical, not a precedence anyone chose.
    func checkComplianceConflicts(_ layers: [MergeLayer], collections: [String], diagnostics: inout Diagnostics) {
        guard layers.count > 1 else { return }
        var seen: [String: (text: String, span: SourceSpan, layer: String)] = [:]
        for layer in layers {
            for document in layer.documents {
                for key in collections {
                    for item in document.collections[key]?.fields ?? [] {
                        let base = "\(key).\(item.key)"
                        let assignments: [(String, String, SourceSpan)] =
                            item.value.isNull
                            ? [(base, "(removed)", item.keySpan)]
                            : Self.assignments(item.value, path: base)
                        for (path, text, span) in assignments {
                            if let earlier = seen[path], earlier.layer != layer.name, earlier.text != text {
                                diagnostics.append(Diagnostic(
                                    "merge/compliance-conflict",
                                    "the \(layer.name) sets \(path) to \(text), the \(earlier.layer) to \(earlier.text)",
                                    at: span,
                                    hint: "compliance overlays must agree; set the value in a stage overlay or the environment instead",
                                    notes: [DiagnosticNote("the other value", at: earlier.span)]))
                            } else if seen[path] == nil {
                                seen[path] = (text, span, layer.name)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The leaf assignments a patch makes: path, value text (or `(removed)`), span.
    static func assignments(_ value: SpecValue, path: String) -> [(String, String, SourceSpan)] {
        if let fields = value.fields {
            return fields.flatMap { field -> [(String, String, SourceSpan)] in
                let child = "\(path).\(field.key)"
                if field.value.isNull { return [(child, "(removed)", field.keySpan)] }
                return assignments(field.value, path: child)
            }
        }
        return [(path, displayText(value), value.span)]
    }
}
