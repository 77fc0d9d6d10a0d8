import Foundation
public import VigilModel

/// What a policy rule is, for messages, configuration and the generated docs.
public struct RuleDescriptor: Sendable {
    /// The stable id, `policy/<kebab-name>`.
    public var id: RuleID
    /// One line: what the rule requires.
    public var summary: String
    /// Why a hosting team wants it.
    public var rationale: String
    /// The severity unless `vigil.yaml` changes it.
    public var defaultSeverity: Severity
    /// Whether `policy.disable` may turn it off (the required-signals rule can only be waived).
    public var canDisable: Bool
    /// Roots (path → YAML, `↓` marks nothing) on which the rule finds nothing.
    public var passingExamples: [[String: String]]
    /// Roots whose `↓` markers show exactly where the rule reports.
    public var failingExamples: [[String: String]]

    /// Creates a descriptor.
    public init(
        id: RuleID, summary: String, rationale: String, defaultSeverity: Severity = .error, canDisable: Bool = true,
        passingExamples: [[String: String]], failingExamples: [[String: String]]
    ) {
        self.id = id
        self.summary = summary
        self.rationale = rationale
        self.defaultSeverity = defaultSeverity
        self.canDisable = canDisable
        self.passingExamples = passingExamples
        self.failingExamples = failingExamples
    }
}

/// A finding of a policy rule: the diagnostic and the item it is about (what a waiver names).
public struct PolicyFinding: Sendable {
    /// The item: an alert id, a signal id, a table.
    public var item: String
    /// The diagnostic (its severity is replaced by the configured one).
    public var diagnostic: Diagnostic

    /// Creates a finding.
    public init(item: String, diagnostic: Diagnostic) {
        self.item = item
        self.diagnostic = diagnostic
    }
}

/// A rule the check stage runs on every resolved environment. Rules read the model and never
/// change it.
public protocol PolicyRule: Sendable {
    /// The rule's metadata.
    static var descriptor: RuleDescriptor { get }
    /// Creates the rule.
    init()
    /// The findings for one environment.
    /// - Parameters:
    ///   - environment: The resolved environment.
    /// - Returns: Findings, in any order.
    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding]
}

extension PolicyRule {
    /// A finding with this rule's id.
    func finding(
        _ item: String, _ message: String, at location: SourceSpan?, hint: String? = nil, notes: [DiagnosticNote] = []
    ) -> PolicyFinding {
        PolicyFinding(
            item: item,
            diagnostic: Diagnostic(
                Self.descriptor.id, severity: Self.descriptor.defaultSeverity, message, at: location, hint: hint,
                notes: notes))
    }
}
