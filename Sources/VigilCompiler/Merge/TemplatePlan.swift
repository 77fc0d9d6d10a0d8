import Synchronization
import VigilModel

/// A template item's checked shape, so the second and later expansions (the next tenant, the
/// next SLO) substitute and check only the values that hold a `${…}` reference.
///
/// Stage: merge, inside ``TemplateExpander``. A plan is built from an item's first expansion that
/// passed the schema with no diagnostic. Its parts without references are kept as checked then;
/// each part with references is a hole, substituted and checked by ``SchemaValidator`` again on
/// every expansion, exactly as the whole item would be. Which fields are present cannot change
/// between expansions (a hole that becomes `null` or empty, or that would need an object's
/// completeness checked again, makes ``value(_:)`` return nil), so the item's completeness, judged
/// on the first expansion, holds for the others. Whenever ``value(_:)`` returns nil the caller
/// expands the item the slow way, so diagnostics are exactly those of a full check.
struct TemplatePlan: Sendable {
    /// How the parent checks a part: as an object, or as a value of some schema.
    private enum Check: Sendable {
        case object(ObjectSchema, SchemaValidator.Mode)
        case schema(Schema, SchemaValidator.Mode, field: String)
    }

    indirect enum Part: Sendable {
        /// Holds no reference: the value checked on the first expansion.
        case fixed(SpecValue)
        /// A map whose keys hold no reference, with its fields in order.
        case map([(key: String, keySpan: SourceSpan, part: Part)], span: SourceSpan)
        /// Holds a reference: substituted, then checked as its parent would check it.
        case hole(RawNode, Schema, SchemaValidator.Mode, field: String)
    }

    let root: Part

    /// The plan of `raw` (an item's body with references) from `value`, the item's first
    /// successful check against `object`; nil when the item has a part that cannot be planned
    /// (a reference in a key, or where an object or map is expected).
    init?(raw: RawNode, value: SpecValue, object: ObjectSchema) {
        guard let root = Self.part(raw, value, .object(object, .definition)) else { return nil }
        self.root = root
    }

    /// The item's checked value for one expansion, or nil when it must be expanded the slow way.
    func value(_ substitution: Substitution) -> SpecValue? {
        Self.value(root, substitution)
    }

    private static func part(_ raw: RawNode, _ value: SpecValue, _ check: Check) -> Part? {
        guard TemplateExpander.hasReference(raw) else { return .fixed(value) }
        switch check {
        case .object(let object, let mode):
            return map(raw, value) { key in
                object.field(key).map { .schema($0.schema, key == "overrides" ? .patch : mode, field: key) }
            }
        case .schema(.object(let object), let mode, _):
            return part(raw, value, .object(object, mode))
        case .schema(.map(_, let valueSchema), let mode, _):
            return map(raw, value) { key in
                if case .object(let object) = valueSchema { return .object(object, mode) }
                return .schema(valueSchema, mode, field: key)
            }
        case .schema(let schema, let mode, let name):
            // A scalar, a list, a value-or-list or an unchecked value: checked whole on every
            // expansion, as its parent checks it. (A reference where an object or a map is
            // expected leaves the item to the slow way, in `map`.)
            return .hole(raw, schema, mode, field: name)
        }
    }

    /// A map part: each entry with the check `childCheck` gives its key; nil when the raw node is
    /// not the map that was checked, a key holds a reference, or a key has no check.
    private static func map(_ raw: RawNode, _ value: SpecValue, childCheck: (String) -> Check?) -> Part? {
        guard case .mapping(let entries) = raw.content, let fields = value.fields, fields.count == entries.count else { return nil }
        var parts: [(key: String, keySpan: SourceSpan, part: Part)] = []
        parts.reserveCapacity(entries.count)
        for (entry, field) in zip(entries, fields) {
            guard !entry.key.hasPlaceholder, entry.key == field.key, let check = childCheck(entry.key),
                let child = part(entry.value, field.value, check)
            else { return nil }
            parts.append((entry.key, entry.keySpan, child))
        }
        return .map(parts, span: value.span)
    }

    private static func value(_ part: Part, _ substitution: Substitution) -> SpecValue? {
        switch part {
        case .fixed(let value):
            return value
        case .map(let parts, let span):
            var fields: [SpecField] = []
            fields.reserveCapacity(parts.count)
            for entry in parts {
                guard let value = value(entry.part, substitution) else { return nil }
                fields.append(SpecField(key: entry.key, keySpan: entry.keySpan, value: value))
            }
            return SpecValue(.map(fields), at: span)
        case .hole(let raw, let schema, let mode, let field):
            var problems = Diagnostics()
            guard let node = substitution.node(raw, diagnostics: &problems), problems.all.isEmpty,
                !node.isPlainNull, !node.isEmptyScalar
            else { return nil }
            var validator = SchemaValidator()
            let result = validator.validate(node, schema: schema, mode: mode, field: field)
            return validator.diagnostics.all.isEmpty ? result : nil
        }
    }
}

/// The plans of template items, shared by every environment one resolver expands: a plan depends
/// only on the item as written and its collection's schema (its fixed parts were checked once,
/// its holes are checked on every expansion), so the first environment's clean expansion plans
/// the item for all of them. A plan is used only for an item whose YAML nodes equal the ones it
/// was made from.
///
/// Stage: merge. Safe across threads; only successful plans are kept (an item that could not be
/// planned in one environment is tried again in the next).
final class TemplatePlans: Sendable {
    struct Key: Hashable, Sendable {
        var template: String
        var collection: String
        var index: Int
    }

    private let plans = Mutex<[Key: (raw: RawNode, plan: TemplatePlan)]>([:])

    /// The plan made for this item, if one was and the item is the same.
    func plan(for key: Key, raw: RawNode) -> TemplatePlan? {
        guard let entry = plans.withLock({ $0[key] }), entry.raw == raw else { return nil }
        return entry.plan
    }

    /// Keeps a plan, unless one is kept for the key already.
    func remember(_ plan: TemplatePlan, for key: Key, raw: RawNode) {
        plans.withLock { plans in
            if plans[key] == nil { plans[key] = (raw, plan) }
        }
    }
}
