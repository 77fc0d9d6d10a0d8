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

    /// (what, pattern) pairs; a string matching any is a secret.
    static let patterns: [(String, String)] = [
        ("a Logic App or Functions URL with its signature", #"https?://[^\s]*(logic\.azure\.com|azurewebsites\.net)[^\s]*[?&](sig|code)="#),
        ("a Slack webhook URL", #"hooks\.slack\.com/services/"#),
        ("a Teams or Office 365 webhook URL", #"(webhook\.office\.com/|outlook\.office(365)?\.com/webhook)"#),
        ("a PagerDuty integration URL", #"events\.pagerduty\.com/integration/[0-9a-zA-Z]{20,}"#),
        ("a storage account key", #"AccountKey=[A-Za-z0-9+/=]{20,}"#),
        ("a shared access signature", #"(SharedAccessSignature=|[?&]sig=[A-Za-z0-9%+/=]{20,})"#),
    ]

    /// Keys whose values must not be literal.
    static let secretKeys = #"(?i)(password|passwd|secret|token|apikey|api-key|api_key|integrationkey|integration-key|routingkey|routing-key|servicekey)"#

    /// The findings over every loaded document.
    static func scan(_ documents: [SpecDocument]) -> [PolicyFinding] {
        var findings: [PolicyFinding] = []
        for document in documents { walk(document.root, key: "", path: document.name.value, into: &findings) }
        return findings
    }

    static func walk(_ value: SpecValue, key: String, path: String, into findings: inout [PolicyFinding]) {
        switch value.content {
        case .map(let fields):
            for field in fields where field.key != "secretRef" {
                walk(field.value, key: field.key, path: "\(path).\(field.key)", into: &findings)
            }
        case .list(let items):
            for item in items { walk(item, key: key, path: path, into: &findings) }
        case .string(let text):
            if let kind = patterns.first(where: { PatternCache.contains($0.1, text) })?.0 {
                findings.append(found(path, "\(kind) is written in the definitions", at: value.span))
            } else if PatternCache.contains(secretKeys, key), !text.hasPrefix("@Microsoft.KeyVault("), !text.isEmpty {
                findings.append(found(path, "'\(key)' holds a literal value", at: value.span))
            }
        default:
            break
        }
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
