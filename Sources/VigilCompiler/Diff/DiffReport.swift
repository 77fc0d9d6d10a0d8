import Foundation
import VigilModel

/// Prints a ``FleetDiff`` as text (coloured on a terminal), as Markdown for a pull-request
/// comment, or as JSON (schema in `docs/diff-schema.md`).
public enum DiffReport {
    /// The formats.
    public enum Format: String, Sendable, CaseIterable {
        /// Lines for a terminal.
        case text
        /// A pull-request comment: a summary table and one collapsible block per environment.
        case markdown
        /// The documented JSON schema.
        case json
    }

    /// The JSON schema version.
    public static let schemaVersion = 1

    /// Renders a diff.
    /// - Parameters:
    ///   - diff: The diff.
    ///   - format: The format.
    ///   - colour: ANSI colours (text only).
    /// - Returns: The report, ending in a newline.
    public static func render(_ diff: FleetDiff, format: Format, colour: Bool = false) -> String {
        switch format {
        case .text: text(diff, colour: colour)
        case .markdown: markdown(diff)
        case .json: String(decoding: CanonicalJSONWriter().write(json(diff)), as: UTF8.self)
        }
    }

    // MARK: Text

    static func text(_ diff: FleetDiff, colour: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let mark: [ChangeKind: (String, String)] = [.added: ("+", "32"), .removed: ("-", "31"), .changed: ("~", "33")]
        var out = paint("vigil diff: \(diff.base) → \(diff.head): ", "1")
        guard !diff.isEmpty else { return out + "no differences in \(count(diff.environmentsCompared, "environment"))\n" }
        out += "\(diff.environments.count) of \(count(diff.environmentsCompared, "environment")) differ\n"
        for group in diff.summary { out += "  \(groupLine(group))\n" }
        for environment in diff.environments {
            let (symbol, code) = mark[environment.change]!
            out += "\n" + paint("\(symbol) \(environment.name)", "1;\(code)") + " (\(environment.stage), \(environment.tier))"
            out += environment.change == .changed ? "" : " \(environment.change.rawValue)"
            out += environment.definedAt.map { "  " + paint("← " + inputText($0), "2") } ?? ""
            out += "\n"
            for resource in environment.resources {
                let (symbol, code) = mark[resource.change]!
                out += "  " + paint("\(symbol) \(resource.kind) \(resource.name)", code)
                var notes: [String] = []
                if let item = resource.item { notes.append(item.description) }
                if let tenant = resource.tenant { notes.append("tenant \(tenant)") }
                notes.append(resource.file)
                out += "  " + paint("[\(notes.joined(separator: ", "))]", "2") + "\n"
                for field in resource.fields {
                    out += "      \(field.path): " + paint(brief(field.old), "31") + " → " + paint(brief(field.new), "32") + "\n"
                    if let cause = field.cause { out += "        " + paint("← " + inputText(cause), "2") + "\n" }
                }
                for input in resource.inputs { out += "      " + paint("← " + inputText(input), "2") + "\n" }
            }
        }
        return out
    }

    static func groupLine(_ group: FleetDiff.Group) -> String {
        "\(group.stage), \(group.tier): \(count(group.environments, "environment")), \(count(group.tenants, "tenant")), "
            + "\(count(group.resources, "resource")) (\(count(group.alerts, "alert")))"
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// `file:line:col (layer): field old → new`, and the like.
    static func inputText(_ input: InputChange) -> String {
        var out = input.at.map { "\($0) (\(input.layer ?? "other"))" } ?? "(no location)"
        if input.side == .base { out += " [base]" }
        guard let field = input.field else { return "\(input.action) at \(out)" }
        switch input.action {
        case "removed": return "\(out): \(field) removed" + (input.old.map { " (was \(quoteInput($0)))" } ?? "")
        default: return "\(out): \(field) " + (input.old.map { "\(quoteInput($0)) → " } ?? "") + quoteInput(input.new ?? "")
        }
    }

    static func quoteInput(_ value: String) -> String {
        let flat = value.replacingOccurrences(of: "\n", with: "⏎")
        return flat.count > 80 ? String(flat.prefix(79)) + "…" : flat
    }

    /// A value on one line: JSON, cut at 100 characters; `∅` for absent.
    static func brief(_ value: CanonicalValue?) -> String {
        guard let value else { return "∅" }
        let text = String(decoding: CanonicalJSONWriter().write(value), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "  ", with: "")
        return text.count > 100 ? String(text.prefix(99)) + "…" : text
    }

    // MARK: Markdown

    /// The most table rows per environment and the longest comment (GitHub allows 65,536
    /// characters).
    static let rowLimit = 100
    static let sizeLimit = 60_000

    static func markdown(_ diff: FleetDiff) -> String {
        var out = "### Vigil diff: \(code(diff.base)) → \(diff.head)\n\n"
        guard !diff.isEmpty else { return out + "No differences in \(count(diff.environmentsCompared, "environment")).\n" }
        let groups = diff.summary
        let resources = groups.reduce(0) { $0 + $1.resources }, alerts = groups.reduce(0) { $0 + $1.alerts }
        let tenants = groups.reduce(0) { $0 + $1.tenants }
        out += "**\(diff.environments.count) of \(count(diff.environmentsCompared, "environment")) differ**: "
        out += "\(count(resources, "resource")), \(count(alerts, "alert")), \(count(tenants, "tenant")).\n\n"
        out += "| Stage | Tier | Environments | Tenants | Resources | Alerts |\n| --- | --- | ---: | ---: | ---: | ---: |\n"
        for group in groups {
            out += "| \(group.stage) | \(group.tier) | \(group.environments) | \(group.tenants) | \(group.resources) | \(group.alerts) |\n"
        }
        let symbols: [ChangeKind: String] = [.added: "➕", .removed: "➖", .changed: "✏️"]
        var truncated = 0
        for (index, environment) in diff.environments.enumerated() {
            var block = "\n<details>\n<summary>\(symbols[environment.change]!) <b>\(html(environment.name))</b> "
            block += "(\(environment.stage), \(environment.tier)): \(count(environment.resources.count, "resource")) "
            block += "\(environment.change == .changed ? "changed" : environment.change.rawValue)</summary>\n\n"
            if let definedAt = environment.definedAt { block += "Environment \(inputCell(definedAt)).\n\n" }
            block += "| | Resource | Field | Old | New | Because of |\n| --- | --- | --- | --- | --- | --- |\n"
            var rows: [String] = []
            for resource in environment.resources {
                let name = "\(code(resource.kind)) \(code(resource.name))"
                let symbol = symbols[resource.change]!
                if resource.fields.isEmpty {
                    rows.append("| \(symbol) | \(name) | | | | \(resource.inputs.map(inputCell).joined(separator: "<br>")) |")
                }
                for field in resource.fields {
                    let because = ([field.cause].compactMap { $0 } + (field == resource.fields.first ? resource.inputs : []))
                        .map(inputCell).joined(separator: "<br>")
                    rows.append("| \(symbol) | \(name) | \(code(field.path)) | \(code(brief(field.old))) | \(code(brief(field.new))) | \(because) |")
                }
            }
            if rows.count > rowLimit {
                let more = rows.count - rowLimit
                rows = Array(rows.prefix(rowLimit)) + ["| | … \(more) more rows: run `vigil diff --env \(environment.name)` | | | | |"]
            }
            block += rows.joined(separator: "\n") + "\n\n</details>\n"
            if out.utf8.count + block.utf8.count > sizeLimit {
                truncated = diff.environments.count - index
                break
            }
            out += block
        }
        if truncated > 0 {
            out += "\n_\(count(truncated, "more environment")) not shown (comment size limit): run `vigil diff` locally or use `--format json`._\n"
        }
        return out
    }

    static func inputCell(_ input: InputChange) -> String {
        let location = input.at.map { code($0.description) + " (\(input.layer ?? "other"))" } ?? "?"
        let side = input.side == .base ? " in base" : ""
        guard let field = input.field else { return "\(input.action) at \(location)\(side)" }
        if input.action == "removed" { return "\(code(field)) removed at \(location)\(side)" }
        return "\(code(field)) = \(code(quoteInput(input.new ?? ""))) at \(location)\(side)"
    }

    /// An inline code span that is safe in a table cell.
    static func code(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")
        return flat.contains("`") ? "`` \(flat) ``" : "`\(flat)`"
    }

    static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    // MARK: JSON

    static func json(_ diff: FleetDiff) -> CanonicalValue {
        let groups = diff.summary
        return .fields([
            "schemaVersion": .int(schemaVersion),
            "base": .string(diff.base),
            "head": .string(diff.head),
            "environmentsCompared": .int(diff.environmentsCompared),
            "changed": .bool(!diff.isEmpty),
            "summary": .fields([
                "environments": .int(diff.environments.count),
                "resources": .int(groups.reduce(0) { $0 + $1.resources }),
                "alerts": .int(groups.reduce(0) { $0 + $1.alerts }),
                "tenants": .int(groups.reduce(0) { $0 + $1.tenants }),
                "groups": .array(groups.map { group in
                    .fields([
                        "stage": .string(group.stage), "tier": .string(group.tier), "environments": .int(group.environments),
                        "tenants": .int(group.tenants), "resources": .int(group.resources), "alerts": .int(group.alerts),
                    ])
                }),
            ]),
            "environments": .array(diff.environments.map { environment in
                .fields([
                    "name": .string(environment.name), "stage": .string(environment.stage), "tier": .string(environment.tier),
                    "change": .string(environment.change.rawValue),
                    "definedAt": environment.definedAt.map(json),
                    "resources": .array(environment.resources.map(json)),
                ])
            }),
        ])
    }

    static func json(_ resource: ResourceChange) -> CanonicalValue {
        .fields([
            "kind": .string(resource.kind), "name": .string(resource.name), "file": .string(resource.file),
            "change": .string(resource.change.rawValue),
            "item": resource.item.map { .fields(["collection": .string($0.collection), "id": .string($0.id)]) },
            "tenant": resource.tenant.map { .string($0) },
            "fields": .array(resource.fields.map { field in
                .fields(["path": .string(field.path), "old": field.old, "new": field.new, "cause": field.cause.map(json)])
            }),
            "inputs": .array(resource.inputs.map(json)),
        ])
    }

    static func json(_ input: InputChange) -> CanonicalValue {
        .fields([
            "field": input.field.map { .string($0) }, "old": input.old.map { .string($0) }, "new": input.new.map { .string($0) },
            "action": .string(input.action), "side": .string(input.side.rawValue),
            "at": input.at.map { span in
                .fields([
                    "file": .string(span.file), "line": .int(span.start.line), "column": .int(span.start.column),
                    "layer": .string(Explainer.Layer(file: span.file).rawValue),
                ])
            },
        ])
    }
}
