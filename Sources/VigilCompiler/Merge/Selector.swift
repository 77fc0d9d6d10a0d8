import VigilModel

/// Evaluates `when:` selectors against an environment's facts.
///
/// Stage: merge, after all layers are applied. All keys must match (AND); a list value matches
/// any of its elements; `compliance` matches when the environment has that class.
struct Selector {
    var facts: EnvironmentFacts

    /// Whether the selector matches; nil (with diagnostics) when it names an invalid value.
    func matches(_ when: SpecValue, diagnostics: inout Diagnostics) -> Bool? {
        var result = true
        var valid = true
        for field in when.fields ?? [] {
            let values = (field.value.list ?? [field.value]).compactMap { v in v.string.map { ($0, v.span) } }
            let allowed: [String]?
            let actual: [String]
            switch field.key {
            case "tier":
                allowed = Tier.allCases.map(\.rawValue)
                actual = [facts.tier.rawValue]
            case "stage":
                allowed = Stage.allCases.map(\.rawValue)
                actual = [facts.stage.rawValue]
            case "region":
                allowed = nil
                actual = [facts.region]
            case "compliance":
                allowed = nil
                actual = facts.compliance
            default:
                guard field.key.hasPrefix("components.") else {
                    diagnostics.append(Diagnostic(
                        "selector/unknown-fact", "selector names unknown fact '\(field.key)'", at: field.keySpan,
                        hint: Suggestions.hint(
                            for: field.key, in: DefinitionsSchema.selectorFacts + ["components.<name>"], listing: "facts")))
                    valid = false
                    continue
                }
                allowed = nil
                actual = facts.components[String(field.key.dropFirst("components.".count))].map { [$0] } ?? []
            }
            if let allowed {
                for (value, span) in values where !allowed.contains(value) {
                    diagnostics.append(Diagnostic(
                        "schema/invalid-value", "'\(value)' is not a valid \(field.key)", at: span,
                        hint: Suggestions.hint(for: value, in: allowed, listing: "expected one of")))
                    valid = false
                }
            }
            if !values.contains(where: { actual.contains($0.0) }) { result = false }
        }
        return valid ? result : nil
    }
}
