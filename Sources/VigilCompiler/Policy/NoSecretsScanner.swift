import Foundation
import VigilModel

/// Finds secrets written into definitions: webhook URLs with signatures or keys, storage keys,
/// SAS tokens, integration keys and literal passwords. Secrets belong in Key Vault; definitions
/// name the secret (`secretRef`), never its value.
enum NoSecretsScanner {
    static let descriptor = RuleDescriptor(
        id: "policy/no-secrets",
        summary: "no secrets in the definitions: webhook URLs, keys and passwords come from Key Vault",
        rationale:
            "Definitions live in git and are read by every reviewer and CI job; a webhook URL with its signature is a credential. Put it in Key Vault and name the secret with 'secretRef'.",
        passingExamples: [
            PolicyExamples.root(
                baseline: "alerts: {}\n",
                environment: PolicyExamples.environment(extra: "tags: {notify: ops@example.com, vault: kv-acme}\n"))
        ],
        failingExamples: [
            PolicyExamples.root(
                baseline: "alerts: {}\n",
                environment: PolicyExamples.environment(extra: "tags: {alerts: ↓\"https://hooks.slack.com/services/T000/B000/XXXXXXXX\"}\n"))
        ])

    /// (what, pattern, literals) triples; a string matching any pattern is a secret. The pattern
    /// is only tried on a string that holds one of its literals (every match holds one), so the
    /// many strings that hold none cost a byte scan, not a regular expression.
    static let patterns: [(what: String, pattern: String, literals: [String])] = [
        ("a Logic App or Functions URL with its signature", #"https?://[^\s]*(logic\.azure\.com|azurewebsites\.net)[^\s]*[?&](sig|code)="#,
         ["logic.azure.com", "azurewebsites.net"]),
        ("a Slack webhook URL", #"hooks\.slack\.com/services/"#, ["hooks.slack.com/services/"]),
        ("a Teams or Office 365 webhook URL", #"(webhook\.office\.com/|outlook\.office(365)?\.com/webhook)"#, ["webhook"]),
        ("a PagerDuty integration URL", #"events\.pagerduty\.com/integration/[0-9a-zA-Z]{20,}"#, ["events.pagerduty.com/integration/"]),
        ("a storage account key", #"AccountKey=[A-Za-z0-9+/=]{20,}"#, ["AccountKey="]),
        ("a shared access signature", #"(SharedAccessSignature=|[?&]sig=[A-Za-z0-9%+/=]{20,})"#, ["SharedAccessSignature=", "sig="]),
    ]

    /// Keys whose values must not be literal.
    static let secretKeys = #"(?i)(password|passwd|secret|token|apikey|api-key|api_key|integrationkey|integration-key|routingkey|routing-key|servicekey)"#

    /// The findings over every loaded document.
    static func scan(_ documents: [SpecDocument]) -> [PolicyFinding] {
        var findings: [PolicyFinding] = []
        var secretKey: [String: Bool] = [:]
        for document in documents {
            var path = [document.name.value]
            walk(document.root, key: "", path: &path, secretKey: &secretKey, into: &findings)
        }
        return findings
    }

    /// Whether a string matches a pattern, trying the pattern only when a literal of it occurs.
    static func matches(_ text: String, _ entry: (what: String, pattern: String, literals: [String])) -> Bool {
        entry.literals.contains { text.containsBytes($0) } && PatternCache.search(entry.pattern, text)
    }

    /// - Parameters:
    ///   - path: The keys down to the value (joined with `.` only for a finding).
    ///   - secretKey: Whether each key seen so far names a secret (keys repeat).
    static func walk(
        _ value: SpecValue, key: String, path: inout [String], secretKey: inout [String: Bool],
        into findings: inout [PolicyFinding]
    ) {
        switch value.content {
        case .map(let fields):
            for field in fields where field.key != "secretRef" {
                path.append(field.key)
                walk(field.value, key: field.key, path: &path, secretKey: &secretKey, into: &findings)
                path.removeLast()
            }
        case .list(let items):
            for item in items { walk(item, key: key, path: &path, secretKey: &secretKey, into: &findings) }
        case .string(let text):
            if let kind = patterns.first(where: { matches(text, $0) })?.what {
                findings.append(found(path.joined(separator: "."), "\(kind) is written in the definitions", at: value.span))
            } else if !text.isEmpty, Self.isSecretKey(key, &secretKey), !text.hasPrefix("@Microsoft.KeyVault(") {
                findings.append(found(path.joined(separator: "."), "'\(key)' holds a literal value", at: value.span))
            }
        default:
            break
        }
    }

    static func isSecretKey(_ key: String, _ known: inout [String: Bool]) -> Bool {
        if let answer = known[key] { return answer }
        let answer = PatternCache.search(secretKeys, key)
        known[key] = answer
        return answer
    }

    static func found(_ item: String, _ message: String, at span: SourceSpan) -> PolicyFinding {
        PolicyFinding(
            item: item,
            diagnostic: Diagnostic(
                descriptor.id, message, at: span,
                hint: "store it in Key Vault and reference it (a receiver's 'secretRef'); rotate the exposed secret"))
    }
}

/// Waivers carry an expiry date; an expired one is an error until it is renewed or removed.
enum WaiverExpiryDescriptor {
    static let descriptor = RuleDescriptor(
        id: "policy/waiver-expired",
        summary: "waivers expire: an expired waiver is an error",
        rationale: "A waiver is a decision with an owner and a date to look again, not a permanent exemption.",
        passingExamples: [example(expires: "2999-12-31")],
        failingExamples: [example(expires: "↓2020-01-31")])

    static func example(expires: String) -> [String: String] {
        var root = PolicyExamples.root(baseline: "alerts:\n  cpu:\n" + PolicyExamples.alert())
        root["vigil.yaml"] = PolicyExamples.config + """
            waivers:
              old-exception:
                rule: policy/window-frequency
                item: cpu
                reason: evaluated hourly until the migration finished
                owner: platform-data
                expires: \(expires)

            """
        return root
    }
}
