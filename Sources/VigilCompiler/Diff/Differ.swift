import Foundation
import VigilModel

/// Compares two sides resource by resource and field by field, and traces each change to the
/// input that caused it.
///
/// Values are compared as trees, so key order, quoting and number spelling never count. Files
/// whose bytes are equal on both sides are not parsed or compared at all, nor are the resources
/// of a template whose bytes are equal on both sides (``TemplateFragments``).
public enum Differ {
    /// Compares one environment of two sides; nil when nothing differs.
    static func environment(base: DiffSide.Environment?, head: DiffSide.Environment?) throws -> EnvironmentDiff? {
        guard let name = head?.name ?? base?.name else { return nil }
        let facts = head?.resolved?.facts ?? base?.resolved?.facts
        let change: ChangeKind = base == nil ? .added : head == nil ? .removed : .changed
        // Only files whose bytes differ can hold a change.
        let paths = Set(base?.files.keys ?? [:].keys).union(head?.files.keys ?? [:].keys)
            .filter { base?.files[$0] != head?.files[$0] }.sorted()
        guard !paths.isEmpty || change != .changed else { return nil }
        var old: [String: ResourceUnit] = [:]
        var new: [String: ResourceUnit] = [:]
        for path in paths {
            // A JSON template written as bytes on both sides: only resources whose bytes differ are parsed.
            if let base, let head, path.hasSuffix(".json"), base.documents[path] == nil, head.documents[path] == nil,
                let b = base.files[path], let h = head.files[path], let pruned = TemplateFragments.pruned(base: b, head: h)
            {
                for unit in ResourceUnits.extract(path: path, values: [pruned.base]) { old[unit.key] = unit }
                for unit in ResourceUnits.extract(path: path, values: [pruned.head]) { new[unit.key] = unit }
                continue
            }
            if let base { for unit in ResourceUnits.extract(path: path, values: try base.values(path)) { old[unit.key] = unit } }
            if let head { for unit in ResourceUnits.extract(path: path, values: try head.values(path)) { new[unit.key] = unit } }
        }
        let oldLinks = ItemLinker(base?.resolved), newLinks = ItemLinker(head?.resolved)
        let environmentChanges = specChanges(base: base?.spec, head: head?.spec)
        var resources: [ResourceChange] = []
        for key in Set(old.keys).union(new.keys) {
            let before = old[key], after = new[key]
            guard let unit = after ?? before else { continue }
            let item = after.flatMap(newLinks.item(of:)) ?? before.flatMap(oldLinks.item(of:))
            let tenant = item.flatMap { newLinks.tenants[$0.id] ?? oldLinks.tenants[$0.id] }
            var resource = ResourceChange(
                kind: unit.kind, name: unit.name, file: unit.file, change: .changed, item: item, tenant: tenant, fields: [], inputs: [])
            switch (before, after) {
            case (nil, _?):
                resource.change = .added
                if let item, let provenance = newLinks.provenance(item) {
                    resource.inputs = [InputChange(field: nil, at: provenance.definedAt, side: .head, action: "defined")]
                }
                resource.inputs += tenantChanges(tenant, environmentChanges)
            case (_?, nil):
                resource.change = .removed
                if let item, let removed = head?.resolved?.removedItems.first(where: { $0.collection == item.collection && $0.id == item.id }) {
                    resource.inputs = [InputChange(field: nil, at: removed.removedAt, side: .head, action: "removed")]
                } else if let item, let provenance = oldLinks.provenance(item) {
                    resource.inputs = [InputChange(field: nil, at: provenance.definedAt, side: .base, action: "defined")]
                }
                resource.inputs += tenantChanges(tenant, environmentChanges)
            case (let before?, let after?):
                var fields: [FieldChange] = []
                compare(before.value, after.value, path: "", into: &fields)
                guard !fields.isEmpty else { continue }
                var itemChanges: [InputChange] = []
                // Without the old side's model (a rendered folder) the changed inputs are unknown:
                // every current value is a candidate, matched by value only and never listed.
                let known = base?.resolved != nil
                if let item {
                    let head = newLinks.provenance(item)
                    itemChanges = known ? Self.itemChanges(base: oldLinks.provenance(item), head: head) : Self.currentValues(head)
                }
                var used = Set<Int>()
                for index in fields.indices {
                    if let match = itemChanges.firstIndex(where: { matches(fields[index], $0) }) {
                        fields[index].cause = itemChanges[match]
                        used.insert(match)
                    } else if known && itemChanges.count == 1 {
                        fields[index].cause = itemChanges[0]
                        used.insert(0)
                    } else if let match = environmentChanges.first(where: { matches(fields[index], $0) }) {
                        fields[index].cause = match
                    }
                }
                resource.fields = fields
                resource.inputs = known ? itemChanges.indices.filter { !used.contains($0) }.map { itemChanges[$0] } : []
            case (nil, nil):
                continue
            }
            resources.append(resource)
        }
        guard !resources.isEmpty || change != .changed else { return nil }
        // A value derived from another item (a dashboard threshold linked to an alert) changes
        // with it: a field no input of its own accounts for takes an input change of the same
        // environment with the same old and new values.
        let known = resources.flatMap { $0.fields.compactMap(\.cause) + $0.inputs.filter { $0.field != nil } }
        for r in resources.indices {
            for f in resources[r].fields.indices where resources[r].fields[f].cause == nil {
                let field = resources[r].fields[f]
                resources[r].fields[f].cause = known.first { equivalent(field.new.flatMap(scalarText), $0.new) && equivalent(field.old.flatMap(scalarText), $0.old) }
            }
        }
        resources.sort { ($0.kind, $0.name) < ($1.kind, $1.name) }
        var definedAt: InputChange?
        switch change {
        case .added:
            // The whole template file is not a resource of its own when the environment is new.
            resources.removeAll { $0.kind == ResourceUnits.templateKind }
            definedAt = head?.resolved.map { InputChange(field: nil, at: $0.definedAt, side: .head, action: "defined") }
        case .removed:
            resources.removeAll { $0.kind == ResourceUnits.templateKind }
            definedAt = base?.resolved.map { InputChange(field: nil, at: $0.definedAt, side: .base, action: "defined") }
        case .changed: break
        }
        return EnvironmentDiff(
            name: name, stage: facts?.stage.rawValue ?? "unknown", tier: facts?.tier.rawValue ?? "unknown", change: change,
            definedAt: definedAt, resources: resources)
    }

    // MARK: Trees

    /// Appends the differences of two trees. Objects compare key by key; lists of objects that
    /// carry a unique `name` (`alert`, `record`, …) compare element by element by that key;
    /// other lists of equal length compare by position; anything else is one change.
    static func compare(_ old: CanonicalValue, _ new: CanonicalValue, path: String, into changes: inout [FieldChange]) {
        if same(old, new) { return }
        switch (old, new) {
        case (.object(let a), .object(let b)):
            for key in canonicalKeyOrder(Set(a.keys).union(b.keys)) {
                let child = Self.path(path, key: key)
                switch (a[key], b[key]) {
                case (let x?, let y?): compare(x, y, path: child, into: &changes)
                case (let x?, nil): changes.append(FieldChange(path: child, old: x, new: nil))
                case (nil, let y?): changes.append(FieldChange(path: child, old: nil, new: y))
                case (nil, nil): break
                }
            }
        case (.array(let a), .array(let b)):
            if let key = identityKey(a, b) {
                let left = keyed(a, key), right = keyed(b, key)
                var order = left.map(\.0)
                for (k, _) in right where !order.contains(k) { order.append(k) }
                let leftMap = Dictionary(left, uniquingKeysWith: { x, _ in x }), rightMap = Dictionary(right, uniquingKeysWith: { x, _ in x })
                for k in order {
                    let child = "\(path)[\(key)=\(k)]"
                    switch (leftMap[k], rightMap[k]) {
                    case (let x?, let y?): compare(x, y, path: child, into: &changes)
                    case (let x?, nil): changes.append(FieldChange(path: child, old: x, new: nil))
                    case (nil, let y?): changes.append(FieldChange(path: child, old: nil, new: y))
                    case (nil, nil): break
                    }
                }
            } else if a.count == b.count {
                for index in a.indices { compare(a[index], b[index], path: "\(path)[\(index)]", into: &changes) }
            } else {
                changes.append(FieldChange(path: path, old: old, new: new))
            }
        case (.string(let a), .string(let b)):
            // JSON carried in a string (a dashboard in a ConfigMap, a workbook's serializedData)
            // compares as the tree it is.
            if a.hasPrefix("{"), b.hasPrefix("{"), let x = try? ArtifactReader.json(Data(a.utf8)),
                let y = try? ArtifactReader.json(Data(b.utf8))
            {
                compare(x, y, path: path, into: &changes)
            } else {
                changes.append(FieldChange(path: path, old: old, new: new))
            }
        default:
            changes.append(FieldChange(path: path, old: old, new: new))
        }
    }

    static func path(_ parent: String, key: String) -> String {
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == "$" }
        let part = plain ? key : "[\"\(key)\"]"
        if parent.isEmpty { return plain ? key : part }
        return plain ? "\(parent).\(key)" : "\(parent)\(part)"
    }

    static let identityKeys = ["name", "alert", "record", "actionGroupId", "criterionType", "title"]

    /// A key every element of both lists carries as a string, unique within each list.
    static func identityKey(_ a: [CanonicalValue], _ b: [CanonicalValue]) -> String? {
        guard !a.isEmpty || !b.isEmpty else { return nil }
        outer: for key in identityKeys {
            for list in [a, b] {
                var seen = Set<String>()
                for element in list {
                    guard case .object(let fields) = element, case .string(let value)? = fields[key], seen.insert(value).inserted else {
                        continue outer
                    }
                }
            }
            return key
        }
        return nil
    }

    static func keyed(_ list: [CanonicalValue], _ key: String) -> [(String, CanonicalValue)] {
        list.compactMap { element in
            guard case .object(let fields) = element, case .string(let value)? = fields[key] else { return nil }
            return (value, element)
        }
    }

    /// Equal as data: an integer equals the decimal of the same value.
    static func same(_ a: CanonicalValue, _ b: CanonicalValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .decimal(let y)), (.decimal(let y), .int(let x)): return Decimal(x) == y
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (key, value) in x {
                guard let other = y[key], same(value, other) else { return false }
            }
            return true
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default: return a == b
        }
    }

    // MARK: Inputs

    /// The changed leaves of an item, located on the new side (or the old, for a leaf the new
    /// side no longer has and did not remove explicitly).
    static func itemChanges(base: Provenance?, head: Provenance?) -> [InputChange] {
        // Without the old side's model (a rendered folder) nothing says which input changed.
        guard let head, let base else { return [] }
        let old = Dictionary(base.leaves.map { ($0.path, $0.value) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(head.leaves.map { ($0.path, $0.value) }, uniquingKeysWith: { a, _ in a })
        var changes: [InputChange] = []
        for path in Set(old.keys).union(new.keys).sorted() where old[path] != new[path] {
            if let value = new[path] {
                changes.append(InputChange(
                    field: path, old: old[path], new: value, at: head.origin(of: path)?.setAt ?? head.definedAt, side: .head, action: "set"))
            } else if let removed = head.removed[path] {
                changes.append(InputChange(field: path, old: old[path], new: nil, at: removed.removedAt, side: .head, action: "removed"))
            } else {
                changes.append(InputChange(
                    field: path, old: old[path], new: nil, at: base.origin(of: path)?.setAt, side: .base, action: "removed"))
            }
        }
        return changes
    }

    /// Every leaf of an item as it is now, located where it is set (for a side without a model).
    static func currentValues(_ head: Provenance?) -> [InputChange] {
        guard let head else { return [] }
        return head.leaves.map { leaf in
            InputChange(field: leaf.path, new: leaf.value, at: head.origin(of: leaf.path)?.setAt ?? head.definedAt, side: .head, action: "set")
        }
    }

    /// The changed leaves of the environment documents (outside `overrides`, which the items'
    /// own provenance covers).
    static func specChanges(base: SpecDocument?, head: SpecDocument?) -> [InputChange] {
        guard let head, let base else { return [] }
        var old: [String: (String, SourceSpan)] = [:], new: [String: (String, SourceSpan)] = [:]
        specLeaves(base.root, "", into: &old)
        specLeaves(head.root, "", into: &new)
        var changes: [InputChange] = []
        for path in Set(old.keys).union(new.keys).sorted() where old[path]?.0 != new[path]?.0 {
            if let (value, span) = new[path] {
                changes.append(InputChange(field: path, old: old[path]?.0, new: value, at: span, side: .head, action: "set"))
            } else {
                changes.append(InputChange(field: path, old: old[path]?.0, new: nil, at: old[path]?.1, side: .base, action: "removed"))
            }
        }
        return changes
    }

    static func specLeaves(_ value: SpecValue, _ path: String, into leaves: inout [String: (String, SourceSpan)]) {
        switch value.content {
        case .map(let fields):
            for field in fields where !(path.isEmpty && field.key == "overrides") {
                specLeaves(field.value, path.isEmpty ? field.key : "\(path).\(field.key)", into: &leaves)
            }
        case .string(let s): leaves[path] = (s, value.span)
        case .number(let n): leaves[path] = ("\(n)", value.span)
        case .bool(let b): leaves[path] = (b ? "true" : "false", value.span)
        case .null: leaves[path] = ("null", value.span)
        case .list(let items):
            var scalars: [String] = []
            for (index, item) in items.enumerated() {
                switch item.content {
                case .string(let s): scalars.append(s)
                case .number(let n): scalars.append("\(n)")
                default: specLeaves(item, "\(path)[\(index)]", into: &leaves)
                }
            }
            if scalars.count == items.count { leaves[path] = ("[" + scalars.joined(separator: ", ") + "]", value.span) }
        }
    }

    /// The environment changes to a tenant's entry (`tenants.<id>.…`).
    static func tenantChanges(_ tenant: String?, _ changes: [InputChange]) -> [InputChange] {
        guard let tenant else { return [] }
        return changes.filter { $0.field?.hasPrefix("tenants.\(tenant).") == true }
    }

    /// Whether an input change accounts for a field change: the same values (numbers by value,
    /// durations in any spelling), or the values appearing inside the rendered text.
    static func matches(_ field: FieldChange, _ input: InputChange) -> Bool {
        let old = field.old.flatMap(scalarText), new = field.new.flatMap(scalarText)
        if equivalent(new, input.new) && (equivalent(old, input.old) || input.old == nil || old == nil) { return true }
        if let new, let value = input.new, value.count >= 3, new.contains(value) {
            if let inputOld = input.old, let old { return old.contains(inputOld) || inputOld.count < 3 }
            return true
        }
        return false
    }

    static func equivalent(_ rendered: String?, _ input: String?) -> Bool {
        guard let rendered, let input else { return rendered == nil && input == nil }
        if rendered == input { return true }
        if let a = Decimal(string: rendered), let b = Decimal(string: input), !rendered.isEmpty, rendered.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
            return a == b
        }
        if let duration = Duration.parse(input) { return duration.iso8601 == rendered || duration.prometheus == rendered }
        return false
    }

    static func scalarText(_ value: CanonicalValue) -> String? {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .decimal(let d): CanonicalValue.format(d)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .object, .array: nil
        }
    }
}
