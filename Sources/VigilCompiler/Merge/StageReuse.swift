import VigilModel

/// What the first side of a diff hands the second for the same environment.
///
/// Stages: merge and render. Template expansion, SLO compilation and the renderers that render
/// through a view (the Prometheus rules) are pure functions of their inputs: when
/// the inputs are equal on both sides (values and source spans, so provenance is equal too), the
/// second side takes the first side's result instead of computing it again. A one-line change to
/// an overlay leaves the instances, templates, SLOs and the environment's own file equal, so the
/// base side of `vigil diff` skips the two most expensive stages of resolution, and, when the
/// change does not reach the Prometheus rules, the rule renderer and its YAML. A result whose
/// computation reported anything is not handed on, so every diagnostic is still reported by the
/// side that has it.
///
/// One environment at a time, on one thread: the head side records, then the base side reads.
final class StageReuse {
    /// Whether the template documents are equal on both sides: paths, values, spans and the YAML
    /// nodes that expansion substitutes into.
    let templatesEqual: Bool

    /// Everything an expansion reads besides the templates.
    private struct ExpansionInputs: Equatable {
        var environment: SpecValue
        var facts: EnvironmentFacts
        var instances: [MergedItem]
    }

    typealias Expansion = (items: SpecValue, tenants: [String: String])?

    private var expansion: (key: ExpansionInputs, value: Expansion)?
    private var objectives: (key: [MergedItem], value: BurnRateCompiler.Output)?
    /// By the renderer's index in ``Compiler/renderers``.
    private var documents: [Int: (key: ResolvedEnvironment, value: [ArtifactDocument])] = [:]
    /// How many results the second side took (for tests).
    private(set) var reused = 0

    init(templatesEqual: Bool) { self.templatesEqual = templatesEqual }

    /// Whether two sides' template documents are equal in every way expansion can see.
    static func templatesEqual(_ a: [SpecDocument], _ b: [SpecDocument]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.path == $1.path && $0.root == $1.root && $0.raw == $1.raw }
    }

    /// The expansion of `instances` in an environment, computed by `expand` or taken from the
    /// first side when every input is equal.
    func expansion(
        environment: SpecValue, facts: EnvironmentFacts, instances: [MergedItem], diagnostics: inout Diagnostics,
        _ expand: (inout Diagnostics) -> Expansion
    ) -> Expansion {
        guard templatesEqual else { return expand(&diagnostics) }
        let inputs = ExpansionInputs(environment: environment, facts: facts, instances: instances)
        return take(&expansion, for: inputs, diagnostics: &diagnostics, expand)
    }

    /// The burn-rate compilation of `slos`, computed by `compile` or taken from the first side
    /// when the SLO items are equal.
    func objectives(
        slos: [MergedItem], diagnostics: inout Diagnostics, _ compile: (inout Diagnostics) -> BurnRateCompiler.Output
    ) -> BurnRateCompiler.Output {
        take(&objectives, for: slos, diagnostics: &diagnostics, compile)
    }

    /// The documents of a renderer for its view (``ArtifactRenderer/view(of:)``), rendered and
    /// written by `render` or taken from the first side when the views are equal.
    func documents(
        renderer: Int, view: ResolvedEnvironment, diagnostics: inout Diagnostics,
        _ render: (inout Diagnostics) -> [ArtifactDocument]
    ) -> [ArtifactDocument] {
        take(&documents[renderer], for: view, diagnostics: &diagnostics) { diagnostics in
            // Written now, so the second side takes the bytes as well as the trees.
            render(&diagnostics).map { document in
                var document = document
                document.written = document.bytes()
                return document
            }
        }
    }

    /// The first side computes and records (unless it reported anything); the second takes the
    /// record when its inputs are equal and computes otherwise.
    private func take<Inputs: Equatable, Value>(
        _ slot: inout (key: Inputs, value: Value)?, for inputs: Inputs, diagnostics: inout Diagnostics,
        _ compute: (inout Diagnostics) -> Value
    ) -> Value {
        if let known = slot {
            guard known.key == inputs else { return compute(&diagnostics) }
            reused += 1
            return known.value
        }
        let count = diagnostics.all.count
        let value = compute(&diagnostics)
        if diagnostics.all.count == count { slot = (inputs, value) }
        return value
    }
}
