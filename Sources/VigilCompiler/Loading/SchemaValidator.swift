import Foundation
import VigilModel

/// Checks a ``RawNode`` tree against a ``Schema`` and turns it into typed ``SpecValue``s.
///
/// Stage: loading. In `.definition` mode required fields and exclusive groups are enforced; in
/// `.patch` mode (overlays, environment overrides) they are not, because a patch names only the
/// fields it changes: completeness is checked again after the merge.
struct SchemaValidator {
    enum Mode { case definition, patch }

    var diagnostics = Diagnostics()
    /// In a Template, a scalar holding `${…}` is accepted wherever a scalar is, and checked again
    /// after substitution.
    var allowPlaceholders = false

    /// The locale numbers are read in.
    static let posix = Locale(identifier: "en_US_POSIX")

    /// Keyed collections whose items are patches wherever they appear under these keys.
    static let collectionKeys = Set(DefinitionsSchema.collections.map(\.name))

    mutating func validate(
        _ node: RawNode, object: ObjectSchema, mode: Mode, context: String? = nil, patchKeys: Set<String> = ["overrides"]
    ) -> SpecValue? {
        guard case .mapping(let entries) = node.content else {
            if node.isPlainNull, mode == .patch { return SpecValue(.null, at: node.span) }
            diagnostics.append(.typeMismatch(expected: "a map (\(object.title))", found: node, field: context))
            return nil
        }
        var fields: [SpecField] = []
        var ok = true
        for entry in entries {
            guard let fieldSchema = object.field(entry.key) else {
                diagnostics.append(Diagnostic(
                    "schema/unknown-key", "unknown key '\(entry.key)' in \(object.title)", at: entry.keySpan,
                    hint: Suggestions.hint(for: entry.key, in: object.fields.map(\.name), listing: "allowed keys")))
                ok = false
                continue
            }
            let childMode: Mode = patchKeys.contains(entry.key) ? .patch : mode
            if entry.value.isEmptyScalar {
                diagnostics.append(.emptyValue(entry.key, at: entry.keySpan))
                ok = false
                continue
            }
            if entry.value.isPlainNull {
                if fieldSchema.required && mode == .definition {
                    diagnostics.append(Diagnostic(
                        "schema/missing-field", "required field '\(entry.key)' of \(object.title) is null",
                        at: entry.value.span, hint: "give it a value"))
                    ok = false
                    continue
                }
                fields.append(SpecField(key: entry.key, keySpan: entry.keySpan, value: SpecValue(.null, at: entry.value.span)))
                continue
            }
            guard let value = validate(entry.value, schema: fieldSchema.schema, mode: childMode, field: entry.key) else {
                ok = false
                continue
            }
            fields.append(SpecField(key: entry.key, keySpan: entry.keySpan, value: value))
        }
        let result = SpecValue(.map(fields), at: node.span)
        // Completeness is judged only when every field is valid, so one error does not cascade.
        if mode == .definition && ok {
            ok = checkComplete(result, object: object, context: context, skipping: patchKeys) && ok
        }
        return ok ? result : nil
    }

    /// Reports missing required fields and broken exclusive groups of a complete definition.
    /// - Returns: Whether the value is complete.
    mutating func checkComplete(
        _ value: SpecValue, object: ObjectSchema, context: String?, skipping patchKeys: Set<String> = []
    ) -> Bool {
        guard let fields = value.fields else { return true }
        var ok = true
        let present = Set(fields.filter { !$0.value.isNull }.map(\.key))
        var what: String { context.map { "\(object.title) '\($0)'" } ?? object.title }
        for field in object.fields where field.required && !present.contains(field.name) {
            // A group member is reported by the group check.
            if object.groupMembers.contains(field.name) { continue }
            diagnostics.append(Diagnostic(
                "schema/missing-field", "\(what) is missing required field '\(field.name)'", at: value.span,
                hint: "add '\(field.name)'"))
            ok = false
        }
        for group in object.exactlyOneOf {
            let found = group.filter { present.contains($0) }
            if found.count != 1 {
                let names = group.map { "'\($0)'" }.joined(separator: ", ")
                let message =
                    found.isEmpty
                    ? "\(what) needs one of \(names)"
                    : "\(what) sets \(found.map { "'\($0)'" }.joined(separator: " and ")); only one of \(names) is allowed"
                let at = found.count > 1 ? (fields.first { $0.key == found[1] }?.keySpan ?? value.span) : value.span
                diagnostics.append(Diagnostic("schema/exclusive-fields", message, at: at, hint: "keep exactly one of \(names)"))
                ok = false
            }
        }
        for (field, needed) in object.requiresFields.sorted(by: { $0.key < $1.key }) where present.contains(field) {
            for other in needed where !present.contains(other) {
                diagnostics.append(Diagnostic(
                    "schema/missing-field", "\(what) sets '\(field)' but not '\(other)'",
                    at: fields.first { $0.key == field }?.keySpan ?? value.span, hint: "add '\(other)'"))
                ok = false
            }
        }
        for (field, excluded) in object.conflicts.sorted(by: { $0.key < $1.key }) where present.contains(field) {
            for other in excluded where present.contains(other) {
                diagnostics.append(Diagnostic(
                    "schema/exclusive-fields", "\(what) sets both '\(field)' and '\(other)'",
                    at: fields.first { $0.key == other }?.keySpan ?? value.span,
                    hint: "'\(other)' belongs inside '\(field)' here; remove one"))
                ok = false
            }
        }
        // Nested objects of a complete item must be complete too.
        for field in fields where !field.value.isNull && !patchKeys.contains(field.key) {
            guard let schema = object.field(field.key)?.schema else { continue }
            ok = checkNested(field.value, schema: schema, key: field.key) && ok
        }
        return ok
    }

    private mutating func checkNested(_ value: SpecValue, schema: Schema, key: String) -> Bool {
        switch schema {
        case .object(let object):
            return checkComplete(value, object: object, context: nil)
        case .map(_, let valueSchema):
            guard case .object(let object) = valueSchema, let fields = value.fields else { return true }
            var ok = true
            for field in fields where !field.value.isNull {
                ok = checkComplete(field.value, object: object, context: field.key) && ok
            }
            return ok
        default:
            return true
        }
    }

    mutating func validate(_ node: RawNode, schema: Schema, mode: Mode, field: String) -> SpecValue? {
        // In a Template, `${…}` may stand for any value (a list parameter for a list); it is
        // checked after substitution.
        if allowPlaceholders, case .scalar(let text, _) = node.content, text.hasPlaceholder {
            return SpecValue(.string(text), at: node.span)
        }
        if node.isEmptyScalar {
            diagnostics.append(.emptyValue(field, at: node.span))
            return nil
        }
        switch schema {
        case .object(let object):
            return validate(node, object: object, mode: mode, context: nil)
        case .map(let keyFormat, let valueSchema):
            guard case .mapping(let entries) = node.content else {
                diagnostics.append(.typeMismatch(expected: "a map", found: node, field: field))
                return nil
            }
            var fields: [SpecField] = []
            var ok = true
            for entry in entries {
                if !checkKey(entry.key, format: keyFormat, at: entry.keySpan) {
                    ok = false
                    continue
                }
                if entry.value.isEmptyScalar {
                    diagnostics.append(.emptyValue(entry.key, at: entry.keySpan))
                    ok = false
                    continue
                }
                if entry.value.isPlainNull {
                    fields.append(SpecField(key: entry.key, keySpan: entry.keySpan, value: SpecValue(.null, at: entry.value.span)))
                    continue
                }
                let value: SpecValue?
                if case .object(let object) = valueSchema {
                    value = validate(entry.value, object: object, mode: mode, context: entry.key)
                } else {
                    value = validate(entry.value, schema: valueSchema, mode: mode, field: entry.key)
                }
                guard let value else {
                    ok = false
                    continue
                }
                fields.append(SpecField(key: entry.key, keySpan: entry.keySpan, value: value))
            }
            return ok ? SpecValue(.map(fields), at: node.span) : nil
        case .list(let element):
            guard case .sequence(let items) = node.content else {
                diagnostics.append(.typeMismatch(expected: "a list", found: node, field: field, hint: "write [a, b] or one '- item' per line"))
                return nil
            }
            var values: [SpecValue] = []
            var ok = true
            for item in items {
                if item.isPlainNull {
                    diagnostics.append(.typeMismatch(expected: "a list element", found: item, field: field))
                    ok = false
                    continue
                }
                guard let value = validate(item, schema: element, mode: mode, field: field) else {
                    ok = false
                    continue
                }
                values.append(value)
            }
            return ok ? SpecValue(.list(values), at: node.span) : nil
        case .any:
            return Self.generic(node)
        case .scalarOrList(let element):
            if case .sequence = node.content { return validate(node, schema: .list(element), mode: mode, field: field) }
            return validate(node, schema: element, mode: mode, field: field)
        case .string, .enumeration, .integer, .number, .boolean, .duration:
            guard case .scalar(let text, let plain) = node.content else {
                diagnostics.append(.typeMismatch(expected: Self.describe(schema), found: node, field: field))
                return nil
            }
            return scalar(text, plain: plain, schema: schema, node: node, field: field)
        }
    }

    /// A raw node as an unchecked value: scalars as text, `null` as null.
    static func generic(_ node: RawNode) -> SpecValue {
        switch node.content {
        case .scalar(let text, _):
            return node.isPlainNull ? SpecValue(.null, at: node.span) : SpecValue(.string(text), at: node.span)
        case .sequence(let items):
            return SpecValue(.list(items.map(generic)), at: node.span)
        case .mapping(let entries):
            return SpecValue(
                .map(entries.map { SpecField(key: $0.key, keySpan: $0.keySpan, value: generic($0.value)) }), at: node.span)
        }
    }

    private mutating func scalar(_ text: String, plain: Bool, schema: Schema, node: RawNode, field: String) -> SpecValue? {
        let span = node.span
        if allowPlaceholders && text.hasPlaceholder { return SpecValue(.string(text), at: span) }
        switch schema {
        case .string(let format):
            if let problem = Self.check(text, format: format) {
                let id: RuleID = (format.isName) ? "schema/unsafe-name" : "schema/invalid-value"
                let hint = format.isName ? SafeName.rule : nil
                diagnostics.append(Diagnostic(id, "'\(text)' for '\(field)' is not \(problem)", at: span, hint: hint))
                return nil
            }
            return SpecValue(.string(text), at: span)
        case .enumeration(let values):
            guard values.contains(text) else {
                diagnostics.append(Diagnostic(
                    "schema/invalid-value", "'\(text)' is not a valid value for '\(field)'", at: span,
                    hint: Suggestions.hint(for: text, in: values, listing: "expected one of")))
                return nil
            }
            return SpecValue(.string(text), at: span)
        case .boolean:
            guard plain, text == "true" || text == "false" else {
                diagnostics.append(.typeMismatch(
                    expected: "true or false", found: node, field: field,
                    hint: plain ? "only true and false are Booleans here" : "remove the quotes"))
                return nil
            }
            return SpecValue(.bool(text == "true"), at: span)
        case .number, .integer:
            guard plain, let number = DecimalLiteral.value(text) else {
                let expected = Self.describe(schema)
                let looksNumeric = DecimalLiteral.isValid(text)
                diagnostics.append(.typeMismatch(
                    expected: expected, found: node, field: field,
                    hint: looksNumeric ? "remove the quotes" : "write digits with an optional '.' fraction, no exponent"))
                return nil
            }
            if case .integer(let range) = schema {
                let value = SpecValue(.number(number), at: span)
                guard let int = value.int else {
                    diagnostics.append(.typeMismatch(expected: "a whole number", found: node, field: field))
                    return nil
                }
                guard range.contains(int) else {
                    diagnostics.append(Diagnostic(
                        "schema/invalid-value", "\(text) for '\(field)' is out of range", at: span,
                        hint: "expected \(range.lowerBound) to \(range.upperBound)"))
                    return nil
                }
                return value
            }
            return SpecValue(.number(number), at: span)
        case .duration:
            guard Duration.parse(text) != nil else {
                diagnostics.append(Diagnostic(
                    "schema/invalid-value", "'\(text)' for '\(field)' is not a duration", at: span,
                    hint: "write e.g. 30s, 5m, 1h30m, 1d, or ISO 8601 PT5M"))
                return nil
            }
            return SpecValue(.string(text), at: span)
        default:
            return nil
        }
    }

    private mutating func checkKey(_ key: String, format: KeyFormat, at span: SourceSpan) -> Bool {
        if allowPlaceholders && key.hasPlaceholder { return true }
        switch format {
        case .any:
            if key.isEmpty {
                diagnostics.append(Diagnostic("schema/invalid-value", "empty key", at: span))
                return false
            }
        case .name:
            if !SafeName.isValid(key) {
                diagnostics.append(Diagnostic(
                    "schema/unsafe-name", "'\(key)' is not a safe id", at: span, hint: SafeName.rule))
                return false
            }
        case .fact:
            let isComponent = key.hasPrefix("components.") && SafeName.isValid(String(key.dropFirst("components.".count)))
            if !DefinitionsSchema.selectorFacts.contains(key) && !isComponent {
                diagnostics.append(Diagnostic(
                    "selector/unknown-fact", "selector names unknown fact '\(key)'", at: span,
                    hint: Suggestions.hint(for: key, in: DefinitionsSchema.selectorFacts + ["components.<name>"], listing: "facts")))
                return false
            }
        case .pattern(let pattern, let description):
            if !PatternCache.wholeMatch(pattern, key) {
                diagnostics.append(Diagnostic("schema/invalid-value", "key '\(key)' is not \(description)", at: span))
                return false
            }
        }
        return true
    }

    static func check(_ text: String, format: StringFormat) -> String? {
        switch format {
        case .text:
            return text.isEmpty ? "a non-empty string" : nil
        case .name:
            return SafeName.isValid(text) ? nil : "a safe name"
        case .url:
            let ok = (text.hasPrefix("https://") || text.hasPrefix("http://")) && !text.contains(" ")
                && URL(string: text)?.host != nil
            return ok ? nil : "an http(s) URL"
        case .uuid:
            return UUID(uuidString: text) != nil && text.count == 36 ? nil : "a GUID"
        case .resourceID:
            let ok = text.lowercased().hasPrefix("/subscriptions/") && !text.contains(" ")
            return ok ? nil : "an Azure resource id (/subscriptions/…)"
        case .pattern(let pattern, let description):
            return PatternCache.wholeMatch(pattern, text) ? nil : description
        }
    }

    static func describe(_ schema: Schema) -> String {
        switch schema {
        case .string: "a string"
        case .enumeration(let values): "one of \(values.joined(separator: ", "))"
        case .integer: "a whole number"
        case .number: "a number"
        case .boolean: "true or false"
        case .duration: "a duration"
        case .list: "a list"
        case .map, .object: "a map"
        case .scalarOrList: "a value or a list"
        case .any: "a value"
        }
    }
}

extension StringFormat {
    var isName: Bool {
        if case .name = self { return true }
        return false
    }
}

extension Diagnostic {
    static func typeMismatch(expected: String, found node: RawNode, field: String?, hint: String? = nil) -> Diagnostic {
        let subject = field.map { " for '\($0)'" } ?? ""
        return Diagnostic(
            "schema/type-mismatch", "expected \(expected)\(subject), found \(node.describe)", at: node.span, hint: hint)
    }

    static func emptyValue(_ key: String, at span: SourceSpan) -> Diagnostic {
        Diagnostic(
            "schema/empty-value", "empty value for '\(key)'", at: span,
            hint: "give it a value; to remove an inherited value write 'null' explicitly")
    }
}
