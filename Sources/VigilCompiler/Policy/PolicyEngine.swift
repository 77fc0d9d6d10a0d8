import Foundation
public import VigilModel

/// The check stage: runs every policy rule on every resolved environment, applies the
/// configuration of `vigil.yaml` (`policy.disable`, `policy.severity`, `waivers`) and scans the
/// definitions for secrets.
///
/// Stage: check. Reads the model, never changes it; returns diagnostics only.
public struct PolicyEngine: Sendable {
    /// Today's date, `YYYY-MM-DD` (UTC), against which waivers expire.
    public var today: String

    /// Creates an engine.
    /// - Parameter today: Today as `YYYY-MM-DD`; defaults to the current UTC date.
    public init(today: String? = nil) {
        if let today {
            self.today = today
        } else {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            self.today = formatter.string(from: Date())
        }
    }

    struct Waiver {
        var id: String
        var rule: String
        var environment: String?
        var item: String
        var expires: String
        var span: SourceSpan
        var expiresSpan: SourceSpan
    }

    /// The waivers of one document; `environments` nil means every environment.
    static func waivers(_ document: SpecDocument?, environments: [String]?) -> [Waiver] {
        (document?.root["waivers"]?.fields ?? []).flatMap { field -> [Waiver] in
            let scope: [String?] = field.value["environment"]?.string.map { [$0] } ?? environments ?? [nil]
            return scope.map { environment in
                Waiver(
                    id: field.key, rule: field.value["rule"]?.string ?? "", environment: environment,
                    item: field.value["item"]?.string ?? "", expires: field.value["expires"]?.string ?? "",
                    span: field.keySpan, expiresSpan: field.value["expires"]?.span ?? field.keySpan)
            }
        }
    }

    /// Every waiver: `vigil.yaml`'s, each environment's own, and each overlay's for the
    /// environments it applies to.
    static func waivers(_ result: Compiler.Result) -> [Waiver] {
        guard let specs = result.specs else { return [] }
        var all = waivers(specs.config, environments: nil)
        let selected = Set(result.environments.map(\.name))
        for document in specs.environments where selected.contains(document.name.value) {
            all += waivers(document, environments: [document.name.value])
        }
        for overlay in specs.overlays where overlay.root["waivers"] != nil {
            let names = result.environments.filter { applies(overlay, to: $0.facts) }.map(\.name)
            if !names.isEmpty { all += waivers(overlay, environments: names) }
        }
        return all
    }

    /// Whether an overlay applies to an environment (its `appliesTo` names the environment's tier,
    /// stage or one of its compliance classes), so that its waivers do.
    static func applies(_ overlay: SpecDocument, to facts: EnvironmentFacts) -> Bool {
        let target = overlay.root["appliesTo"]
        return target?["tier"]?.string == facts.tier.rawValue || target?["stage"]?.string == facts.stage.rawValue
            || facts.compliance.contains(target?["compliance"]?.string ?? "\u{0}")
    }

    /// The waivers of `vigil.yaml`, one line each: id, rule, environment, item, owner, expiry and
    /// whether it is active or expired.
    /// - Parameter result: A compilation.
    /// - Returns: The listing, empty when there are none.
    public func waiverReport(_ result: Compiler.Result) -> String {
        var seen = Set<String>()
        return Self.waivers(result).filter { seen.insert("\($0.span)|\($0.environment ?? "*")").inserted }.map { waiver in
            let status = waiver.expires < today ? "EXPIRED" : "active"
            return "\(waiver.id): \(waiver.rule) \(waiver.environment ?? "*")/\(waiver.item) until \(waiver.expires) [\(status)] (\(waiver.span))\n"
        }.joined()
    }

    /// Checks a compilation.
    /// - Parameter result: The result of ``Compiler/compile(_:)`` without errors.
    /// - Returns: The policy diagnostics.
    public func check(_ result: Compiler.Result) -> Diagnostics {
        let plan = plan(result.specs)
        var diagnostics = plan.diagnostics
        for environment in result.environments { diagnostics.append(contentsOf: plan.check(environment)) }
        if let specs = result.specs { diagnostics.append(contentsOf: plan.scan(specs)) }
        return PolicyPlan.unique(diagnostics)
    }

    /// Prepares the check of a fleet: reads `vigil.yaml`'s policy section and waivers once, so
    /// each environment can then be checked on its own, on any thread, as soon as it is resolved.
    /// - Parameter specs: Every loaded document.
    /// - Returns: The plan; its ``PolicyPlan/diagnostics`` are the configuration's own findings.
    public func plan(_ specs: SpecSet?) -> PolicyPlan {
        var diagnostics = Diagnostics()
        let config = specs?.config
        let policy = config?.root["policy"]
        var disabled = Set<String>()
        for entry in policy?["disable"]?.list ?? [] {
            guard let id = entry.string, PolicyPlan.knows(id, at: entry.span, diagnostics: &diagnostics) else { continue }
            if PolicyRegistry.descriptor(id)?.canDisable == false {
                diagnostics.append(Diagnostic(
                    "config/rule-not-disableable", "rule '\(id)' cannot be disabled", at: entry.span,
                    hint: "waive it for the items that need it, with reason, owner and expiry"))
                continue
            }
            disabled.insert(id)
            diagnostics.append(Diagnostic(
                "config/rule-disabled", severity: .warning, "rule '\(id)' is disabled for the whole fleet", at: entry.span,
                hint: "reviewers see this in every check; prefer waivers for single items"))
        }
        var severities: [String: Severity] = [:]
        for field in policy?["severity"]?.fields ?? [] {
            guard PolicyPlan.knows(field.key, at: field.keySpan, diagnostics: &diagnostics),
                let level = field.value.string.flatMap(Severity.init(rawValue:))
            else { continue }
            severities[field.key] = level
        }
        var plan = PolicyPlan(
            today: today, disabled: disabled, severities: severities,
            rules: PolicyRegistry.all.filter { !disabled.contains($0.descriptor.id.rawValue) }.map { $0.init() },
            fleetWaivers: [], environmentDocuments: [:], overlays: [], diagnostics: Diagnostics())
        plan.fleetWaivers = plan.sift(Self.waivers(config, environments: nil), into: &diagnostics)
        for document in specs?.environments ?? [] where plan.environmentDocuments[document.name.value] == nil {
            plan.environmentDocuments[document.name.value] = document
        }
        plan.overlays = (specs?.overlays ?? []).filter { $0.root["waivers"] != nil }
        plan.diagnostics = diagnostics
        return plan
    }
}

/// The check of one fleet, prepared by ``PolicyEngine/plan(_:)``: the rules that run, the
/// severities `vigil.yaml` sets and the waivers. ``check(_:)`` is safe to call for many
/// environments at once.
///
/// Stage: check.
public struct PolicyPlan: Sendable {
    /// Today's date, against which waivers expire.
    var today: String
    var disabled: Set<String>
    var severities: [String: Severity]
    var rules: [any PolicyRule]
    /// The active waivers of `vigil.yaml`.
    var fleetWaivers: [PolicyEngine.Waiver]
    var environmentDocuments: [String: SpecDocument]
    /// Overlays that declare waivers.
    var overlays: [SpecDocument]
    /// The configuration's own findings: unknown or undisableable rules, disabled rules, expired
    /// waivers of `vigil.yaml`.
    public var diagnostics: Diagnostics

    /// Whether a rule id exists; reports `config/unknown-rule` when not.
    static func knows(_ id: String, at span: SourceSpan, diagnostics: inout Diagnostics) -> Bool {
        if PolicyRegistry.descriptor(id) != nil { return true }
        let known = PolicyRegistry.descriptors.map(\.id.rawValue)
        diagnostics.append(Diagnostic(
            "config/unknown-rule", "unknown rule '\(id)'", at: span, hint: Suggestions.hint(for: id, in: known, listing: "rules")))
        return false
    }

    /// The active waivers among `waivers`; unknown rules and expired waivers are reported.
    func sift(_ waivers: [PolicyEngine.Waiver], into diagnostics: inout Diagnostics) -> [PolicyEngine.Waiver] {
        var active: [PolicyEngine.Waiver] = []
        var reported = Set<SourceSpan>()
        for waiver in waivers {
            guard Self.knows(waiver.rule, at: waiver.span, diagnostics: &diagnostics) else { continue }
            if waiver.expires < today {
                guard reported.insert(waiver.expiresSpan).inserted else { continue }
                diagnostics.append(Diagnostic(
                    "policy/waiver-expired", "waiver '\(waiver.id)' expired on \(waiver.expires)", at: waiver.expiresSpan,
                    hint: "renew it with a new date and reason, or fix what it waives"))
            } else {
                active.append(waiver)
            }
        }
        return active
    }

    /// The waivers of an environment's own file and of the overlays that apply to it.
    func ownWaivers(of environment: ResolvedEnvironment) -> [PolicyEngine.Waiver] {
        var all = PolicyEngine.waivers(environmentDocuments[environment.name], environments: [environment.name])
        for overlay in overlays where PolicyEngine.applies(overlay, to: environment.facts) {
            all += PolicyEngine.waivers(overlay, environments: [environment.name])
        }
        return all
    }

    /// Runs every enabled rule on one environment and applies severities and waivers.
    /// - Parameter environment: A resolved environment.
    /// - Returns: Its findings, and the findings of the waivers that apply to it (an overlay's
    ///   expired waiver is reported for every environment it applies to; ``unique(_:)`` keeps one).
    public func check(_ environment: ResolvedEnvironment) -> Diagnostics {
        var diagnostics = Diagnostics()
        let active = fleetWaivers + sift(ownWaivers(of: environment), into: &diagnostics)
        for rule in rules {
            for finding in rule.check(environment) { emit(finding, environment: environment.name, active: active, into: &diagnostics) }
        }
        return diagnostics
    }

    /// Scans every loaded document for secrets (unless the rule is disabled).
    /// - Parameter specs: Every loaded document.
    /// - Returns: The findings.
    public func scan(_ specs: SpecSet) -> Diagnostics {
        var diagnostics = Diagnostics()
        guard !disabled.contains(NoSecretsScanner.descriptor.id.rawValue) else { return diagnostics }
        let documents = [specs.config].compactMap { $0 } + specs.environments + specs.baselines + specs.overlays + specs.templates
        for finding in NoSecretsScanner.scan(documents) { emit(finding, environment: nil, active: fleetWaivers, into: &diagnostics) }
        return diagnostics
    }

    func emit(_ finding: PolicyFinding, environment: String?, active: [PolicyEngine.Waiver], into diagnostics: inout Diagnostics) {
        let id = finding.diagnostic.id.rawValue
        if active.contains(where: {
            $0.rule == id && $0.item == finding.item && ($0.environment == nil || $0.environment == environment)
        }) { return }
        var diagnostic = finding.diagnostic
        if let level = severities[id] { diagnostic.severity = level }
        diagnostics.append(diagnostic)
    }

    /// The diagnostics without repeats, first occurrence kept (an overlay's waiver findings come
    /// once per environment it applies to).
    /// - Parameter diagnostics: Diagnostics in report order.
    /// - Returns: The same, each distinct diagnostic once.
    public static func unique(_ diagnostics: Diagnostics) -> Diagnostics {
        var seen = Set<Diagnostic>()
        var result = Diagnostics()
        for diagnostic in diagnostics.all where seen.insert(diagnostic).inserted { result.append(diagnostic) }
        return result
    }
}
