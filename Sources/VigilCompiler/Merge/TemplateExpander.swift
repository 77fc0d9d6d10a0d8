import Foundation
import VigilModel

/// A value a template reference stands for.
enum TemplateValue: Sendable, Equatable {
    case text(String)
    case list([String])
}

/// Expands template instances into concrete items.
///
/// Stage: merge, between merging `instances` and merging the other collections. Each instance
/// names a Template; its parameters are checked against the Template's typed parameters; with
/// `forEach: tenant` (or `slo`) it is expanded once per tenant (SLO) of the environment. The
/// Template's items, as read, get every `${…}` replaced and are then checked against the schema
/// like any definition, so a substituted number must be a number where one is expected.
struct TemplateExpander {
    var facts: EnvironmentFacts
    var recovery: RecoveryObjectives
    var tenants: [SpecField]
    var slos: [SpecField]
    /// The environment's `host` and `database`, for `${env.host}` and `${env.database}`.
    var host: String? = nil
    var database: String? = nil
    /// Plans shared with the other environments of the same resolver.
    var plans: TemplatePlans? = nil

    /// The generated items, as a collections map (`alerts`, `recordingRules`, `probes` …), to join the
    /// baseline layer, and the tenant each `forEach: tenant` item was generated for, by id.
    func expand(
        _ instances: [MergedItem], templates: [SpecDocument], diagnostics: inout Diagnostics
    ) -> (items: SpecValue, tenants: [String: String])? {
        guard !instances.isEmpty else { return nil }
        var byName: [String: SpecDocument] = [:]
        for template in templates { byName[template.name.value] = template }
        var generated: [String: [SpecField]] = [:]
        var tenantOf: [String: String] = [:]
        var origin: SourceSpan?
        // Per template (by name), section and item: whether the item may apply here, and its plan
        // once one expansion has passed the schema cleanly.
        var states: [String: [[ItemState]]] = [:]
        for instance in instances {
            let v = instance.value
            guard let name = v["template"]?.string else { continue }
            guard let template = byName[name], let raw = template.raw else {
                diagnostics.append(Diagnostic(
                    "template/unknown-template", "instance '\(instance.id)' names unknown template '\(name)'",
                    at: v["template"]?.span ?? instance.definedAt,
                    hint: Suggestions.hint(for: name, in: Array(byName.keys), listing: "templates")))
                continue
            }
            origin = origin ?? instance.definedAt
            guard var parameters = self.parameters(of: instance, template: template, diagnostics: &diagnostics) else { continue }
            parameters.merge(environmentVariables()) { a, _ in a }
            let origins = Self.parameterOrigins(of: instance, template: template)
            let iterations: [(label: String?, variables: [String: TemplateValue], route: SpecValue?, tenant: String?)]
            switch v["forEach"]?.string {
            case "tenant":
                iterations = tenants.map { tenant in
                    var vars: [String: TemplateValue] = ["tenant.id": .text(tenant.key)]
                    for field in tenant.value.fields ?? [] {
                        if let s = field.value.string { vars["tenant.\(field.key)"] = .text(s) }
                    }
                    return ("tenant '\(tenant.key)'", vars, tenant.value["route"], tenant.key)
                }
            case "slo":
                iterations = slos.map { slo in
                    var vars: [String: TemplateValue] = ["slo.id": .text(slo.key)]
                    for field in slo.value.fields ?? [] {
                        if let d = field.value.string.flatMap(Duration.parse) {
                            Self.addDuration(d, as: "slo.\(field.key)", to: &vars)
                        } else if let n = field.value.number {
                            vars["slo.\(field.key)"] = .text(CanonicalValue.format(n))
                        } else if let s = field.value.string {
                            vars["slo.\(field.key)"] = .text(s)
                        }
                    }
                    return ("SLO '\(slo.key)'", vars, nil, nil)
                }
            default:
                iterations = [(nil, [:], nil, nil)]
            }
            // The template's collections with their schemas, found once per instance, not per
            // tenant.
            var sections: [(collection: String, schema: ObjectSchema, items: [RawEntry])] = []
            if case .mapping(let roots) = raw.content {
                for collection in ["alerts", "recordingRules", "slos", "probes", "monitors"] {
                    guard let entry = roots.first(where: { $0.key == collection }), case .mapping(let items) = entry.value.content,
                        let schema = OverlayMerger.objectSchema(forCollection: collection)
                    else { continue }
                    sections.append((collection, schema, items))
                }
            }
            // By section, then item; kept per template across its instances.
            var itemStates = states[name] ?? sections.map { Array(repeating: ItemState(), count: $0.items.count) }
            defer { states[name] = itemStates }
            for iteration in iterations {
                let variables = parameters.merging(iteration.variables) { _, b in b }
                var local = Diagnostics()
                for (section, (collection, schema, items)) in sections.enumerated() {
                    for (index, item) in items.enumerated() {
                        // An item whose own literal `when` cannot match this environment is not
                        // expanded, so references it would need (an RPO) are not demanded.
                        let applies = itemStates[section][index].mayApply ?? itemMayApply(item.value)
                        itemStates[section][index].mayApply = applies
                        if !applies { continue }
                        let planKey = TemplatePlans.Key(template: name, collection: collection, index: index)
                        if itemStates[section][index].plan == nil, let shared = plans?.plan(for: planKey, raw: item.value) {
                            itemStates[section][index].plan = .some(shared)
                        }
                        let substitution = Substitution(variables: variables, origins: origins)
                        guard let id = substitution.text(item.key, at: item.keySpan, diagnostics: &local) else { continue }
                        // The plan, when there is one and it holds for these values; otherwise
                        // the whole item is substituted and checked, with its diagnostics.
                        var planned = SafeName.isValid(id) ? itemStates[section][index].plan.flatMap { $0?.value(substitution) } : nil
                        if planned == nil {
                            guard let body = substitution.node(item.value, diagnostics: &local) else { continue }
                            guard SafeName.isValid(id) else {
                                local.append(Diagnostic(
                                    "schema/unsafe-name", "generated id '\(id)' is not a safe name", at: item.keySpan,
                                    hint: SafeName.rule))
                                continue
                            }
                            var validator = SchemaValidator()
                            guard let checked = validator.validate(body, object: schema, mode: .definition, context: id) else {
                                local.append(contentsOf: validator.diagnostics)
                                continue
                            }
                            if itemStates[section][index].plan == nil {
                                let plan = validator.diagnostics.all.isEmpty ? TemplatePlan(raw: item.value, value: checked, object: schema) : nil
                                itemStates[section][index].plan = .some(plan)
                                if let plan { plans?.remember(plan, for: planKey, raw: item.value) }
                            }
                            planned = checked
                        }
                        guard var value = planned else { continue }
                        // A tenant that declares an action group of its own receives its
                        // alerts there, whatever route the template gives (that route is the
                        // platform's fallback for tenants without a group), so one tenant's
                        // alerts never reach a group shared with the platform or another tenant
                        // (`policy/tenant-route-isolation` checks the result). Probes alert like
                        // alerts. SLOs take the tenant's route only when they set none: their
                        // page tiers must reach a paging group, which a tenant's often is not.
                        if collection == "alerts" || collection == "slos" || collection == "probes", let route = iteration.route,
                            !route.isNull, collection != "slos" || value["route"] == nil, case .map(var fields) = value.content
                        {
                            fields.removeAll { $0.key == "route" }
                            fields.append(SpecField(key: "route", keySpan: route.span, value: route))
                            value = SpecValue(.map(fields), at: value.span)
                        }
                        generated[collection, default: []].append(SpecField(key: id, keySpan: item.keySpan, value: value))
                        if let tenant = iteration.tenant { tenantOf[id] = tenant }
                    }
                }
                guard !local.all.isEmpty else { continue }
                let context = DiagnosticNote(
                    "expanded from instance '\(instance.id)' of template '\(name)'" + (iteration.label.map { " for \($0)" } ?? ""),
                    at: instance.definedAt)
                for diagnostic in local.all {
                    var d = diagnostic
                    d.notes.append(context)
                    diagnostics.append(d)
                }
            }
        }
        guard let origin else { return nil }
        let fields = generated.keys.sorted().map { key in
            SpecField(key: key, keySpan: origin, value: SpecValue(.map(generated[key]!), at: origin))
        }
        return (SpecValue(.map(fields), at: origin), tenantOf)
    }

    /// What is known of one template item in one environment: whether it may apply (its own
    /// literal `when`), and its plan once an expansion passed cleanly (`.some(nil)`: none can be
    /// made).
    struct ItemState {
        var mayApply: Bool?
        var plan: TemplatePlan??
    }

    /// False when the template item carries a `when` without references that does not match the
    /// environment (it would be dropped after the merge anyway).
    func itemMayApply(_ item: RawNode) -> Bool {
        guard case .mapping(let entries) = item.content, let when = entries.first(where: { $0.key == "when" })?.value,
            !Self.hasReference(when)
        else { return true }
        var validator = SchemaValidator()
        guard let selector = validator.validate(when, schema: DefinitionsSchema.selector, mode: .definition, field: "when") else {
            return true
        }
        var ignored = Diagnostics()
        return Selector(facts: facts).matches(selector, diagnostics: &ignored) != false
    }

    static func hasReference(_ node: RawNode) -> Bool {
        switch node.content {
        case .scalar(let text, _): return text.hasPlaceholder
        case .sequence(let items): return items.contains(where: hasReference)
        case .mapping(let entries): return entries.contains { $0.key.hasPlaceholder || hasReference($0.value) }
        }
    }

    /// The instance's parameter values, checked against the template's declarations.
    func parameters(of instance: MergedItem, template: SpecDocument, diagnostics: inout Diagnostics) -> [String: TemplateValue]? {
        let declared = template.root["parameters"]?.fields ?? []
        let given = instance.value["parameters"]?.fields ?? []
        var values: [String: TemplateValue] = [:]
        var ok = true
        for field in given where !declared.contains(where: { $0.key == field.key }) {
            diagnostics.append(Diagnostic(
                "template/unknown-parameter", "template '\(template.name.value)' has no parameter '\(field.key)'",
                at: field.keySpan, hint: Suggestions.hint(for: field.key, in: declared.map(\.key), listing: "parameters"),
                notes: [DiagnosticNote("template defined here", at: template.name.span)]))
            ok = false
        }
        for parameter in declared {
            let type = parameter.value["type"]?.string ?? "string"
            let supplied = given.first { $0.key == parameter.key }
            guard let value = supplied?.value ?? parameter.value["default"] else {
                if parameter.value["required"]?.bool == true {
                    diagnostics.append(Diagnostic(
                        "template/missing-parameter",
                        "instance '\(instance.id)' does not set required parameter '\(parameter.key)' of template '\(template.name.value)'",
                        at: instance.definedAt, hint: "add 'parameters: {\(parameter.key): …}'",
                        notes: [DiagnosticNote("parameter declared here", at: parameter.keySpan)]))
                    ok = false
                }
                continue
            }
            guard check(value, type: type, name: parameter.key, into: &values, diagnostics: &diagnostics) else {
                ok = false
                continue
            }
        }
        return ok ? values : nil
    }

    /// Where each parameter's value is written (the instance's value, or the template's
    /// default): a value that is exactly one reference is located there, so provenance points at
    /// the line to change.
    static func parameterOrigins(of instance: MergedItem, template: SpecDocument) -> [String: SourceSpan] {
        let given = instance.value["parameters"]?.fields ?? []
        var origins: [String: SourceSpan] = [:]
        for parameter in template.root["parameters"]?.fields ?? [] {
            if let value = given.first(where: { $0.key == parameter.key })?.value ?? parameter.value["default"] {
                origins[parameter.key] = value.span
            }
        }
        return origins
    }

    private func check(
        _ value: SpecValue, type: String, name: String, into values: inout [String: TemplateValue],
        diagnostics: inout Diagnostics
    ) -> Bool {
        func mismatch(_ expected: String) -> Bool {
            diagnostics.append(Diagnostic(
                "template/type-mismatch", "parameter '\(name)' must be \(expected)", at: value.span,
                hint: "write \(expected)"))
            return false
        }
        switch type {
        case "number":
            guard let s = value.string, let n = DecimalLiteral.value(s) else {
                return mismatch("a number like 0.05 or 90")
            }
            values[name] = .text(CanonicalValue.format(n))
        case "duration":
            guard let d = value.string.flatMap(Duration.parse) else { return mismatch("a duration like 5m or 1h") }
            Self.addDuration(d, as: name, to: &values)
        case "list":
            guard let items = value.list, items.allSatisfy({ $0.string != nil }) else { return mismatch("a list of values") }
            values[name] = .list(items.compactMap(\.string))
        case "map":
            guard let fields = value.fields, fields.allSatisfy({ $0.value.string != nil }) else { return mismatch("a map of values") }
            for field in fields { values["\(name).\(field.key)"] = .text(field.value.string!) }
        default:
            guard let s = value.string else { return mismatch("a single value") }
            values[name] = .text(s)
        }
        return true
    }

    static func addDuration(_ d: Duration, as name: String, to values: inout [String: TemplateValue]) {
        values[name] = .text(d.prometheus)
        values["\(name).seconds"] = .text(String(d.seconds))
        values["\(name).minutes"] = .text(String(d.seconds / 60))
    }

    func environmentVariables() -> [String: TemplateValue] {
        var vars: [String: TemplateValue] = [
            "env.name": .text(facts.name), "env.stage": .text(facts.stage.rawValue), "env.tier": .text(facts.tier.rawValue),
            "env.region": .text(facts.region),
        ]
        if let host { vars["env.host"] = .text(host) }
        if let database { vars["env.database"] = .text(database) }
        if let rpo = recovery.rpo { Self.addDuration(rpo, as: "env.recovery.rpo", to: &vars) }
        if let rto = recovery.rto { Self.addDuration(rto, as: "env.recovery.rto", to: &vars) }
        return vars
    }
}

/// `${name}` substitution over raw nodes: one pass, `$${` escapes, a `$` not followed by `{` is
/// literal. A scalar that is exactly one reference to a list becomes that list.
struct Substitution {
    var variables: [String: TemplateValue]
    /// Where parameters are written; a scalar that is exactly one reference takes its location.
    var origins: [String: SourceSpan] = [:]

    func node(_ node: RawNode, diagnostics: inout Diagnostics) -> RawNode? {
        switch node.content {
        case .scalar(let text, let plain):
            // Most scalars of a template hold no reference: they stay as they are.
            guard text.hasPlaceholder else { return node }
            if let name = Self.wholeReference(text), case .list(let items)? = variables[name] {
                return RawNode(content: .sequence(items.map { RawNode(content: .scalar($0, plain: true), span: node.span) }), span: node.span)
            }
            guard let result = self.text(text, at: node.span, diagnostics: &diagnostics) else { return nil }
            // A scalar that is exactly one reference takes the schema's type after substitution,
            // quoted or not (quotes are needed in flow maps: `{threshold: "${limit}"}`).
            let whole = Self.wholeReference(text)
            return RawNode(content: .scalar(result, plain: plain || whole != nil), span: whole.flatMap { origins[$0] } ?? node.span)
        case .sequence(let items):
            var out: [RawNode] = []
            for item in items {
                if case .scalar(let text, _) = item.content, let name = Self.wholeReference(text), case .list(let values)? = variables[name] {
                    out += values.map { RawNode(content: .scalar($0, plain: true), span: item.span) }
                    continue
                }
                guard let converted = self.node(item, diagnostics: &diagnostics) else { return nil }
                out.append(converted)
            }
            return RawNode(content: .sequence(out), span: node.span)
        case .mapping(let entries):
            var out: [RawEntry] = []
            for entry in entries {
                guard let key = text(entry.key, at: entry.keySpan, diagnostics: &diagnostics),
                    let value = self.node(entry.value, diagnostics: &diagnostics)
                else { return nil }
                out.append(RawEntry(key: key, keySpan: entry.keySpan, value: value))
            }
            return RawNode(content: .mapping(out), span: node.span)
        }
    }

    static func wholeReference(_ text: String) -> String? {
        // `${name}` with no `}` or `$` inside: a byte scan (every delimiter is ASCII).
        let bytes = text.utf8
        guard bytes.count >= 3, bytes.first == 0x24, bytes.dropFirst().first == 0x7B, bytes.last == 0x7D else { return nil }
        let inner = bytes.dropFirst(2).dropLast()
        guard !inner.contains(where: { $0 == 0x7D || $0 == 0x24 }) else { return nil }
        return String(decoding: inner, as: UTF8.self)
    }

    func text(_ text: String, at span: SourceSpan, diagnostics: inout Diagnostics) -> String? {
        guard text.hasPlaceholder else { return text }
        // A byte scan: `$`, `{` and `}` are ASCII, so they never occur inside a multi-byte
        // character, and the runs between references are copied whole.
        var ok = true
        let out: [UInt8] = CanonicalBytes.withUTF8(text) { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 32)
            var index = 0
            var run = 0
            func flush(_ end: Int) {
                if end > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<end])) }
            }
            while index < bytes.count {
                guard bytes[index] == 0x24 else {
                    index += 1
                    continue
                }
                if index + 2 < bytes.count, bytes[index + 1] == 0x24, bytes[index + 2] == 0x7B {
                    // `$${` is a literal `${`.
                    flush(index)
                    out.append(0x24)
                    out.append(0x7B)
                    index += 3
                    run = index
                } else if index + 1 < bytes.count, bytes[index + 1] == 0x7B,
                    let close = bytes[(index + 2)...].firstIndex(of: 0x7D)
                {
                    flush(index)
                    let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 2)..<close]), as: UTF8.self)
                    switch variables[name] {
                    case .text(let value)?: out.append(contentsOf: value.utf8)
                    case .list(let values)?: out.append(contentsOf: values.joined(separator: ",").utf8)
                    case nil:
                        diagnostics.append(Diagnostic(
                            "template/unknown-reference", "unknown reference '${\(name)}'", at: span,
                            hint: Suggestions.hint(for: name, in: Array(variables.keys), listing: "known references")))
                        ok = false
                    }
                    index = close + 1
                    run = index
                } else {
                    // A `$` not followed by `{` is itself.
                    index += 1
                }
            }
            flush(bytes.count)
            return out
        }
        return ok ? String(decoding: out, as: UTF8.self) : nil
    }
}
