/// Finds the metric names a PromQL expression reads, without a full parser.
///
/// Stage: render (the managed-Prometheus keep-list of ``ScrapeRenderer``). The expression is cut
/// into tokens — strings (with escapes), comments, numbers and durations, identifiers,
/// punctuation — and an identifier is a metric name when it is not a function or aggregation
/// (followed by `(`), not a keyword (`by`, `without`, `on`, `ignoring`, `group_left`,
/// `group_right`, `bool`, `offset`, `and`, `or`, `unless`, `atan2`, `inf`, `nan` …), not a label
/// name inside `{…}` or a grouping list `by (…)`, and not inside a range `[…]`. A label matcher
/// `{__name__="x"}` names metric `x`. `${…}` template references that survived substitution and
/// Grafana variables (`$tenant`, `$__rate_interval`) are left alone.
public enum PromQLMetrics {
    /// Aggregation operators: followed by `by`/`without` or `(`, never metric names.
    static let aggregations: Set<String> = [
        "avg", "bottomk", "count", "count_values", "group", "limit_ratio", "limitk", "max", "min", "quantile", "stddev",
        "stdvar", "sum", "topk",
    ]
    /// Keywords of the language: binary set operators, vector matching, modifiers.
    static let keywords: Set<String> = [
        "and", "atan2", "bool", "by", "group_left", "group_right", "ignoring", "offset", "on", "or", "unless", "without",
    ]
    /// Keywords followed by a parenthesised label list.
    static let labelLists: Set<String> = ["by", "group_left", "group_right", "ignoring", "on", "without"]

    enum Token: Equatable {
        case identifier(String)
        case string(String)
        case number
        case open(Character)
        case close(Character)
        case other(Character)
    }

    /// The tokens of an expression; strings carry their unescaped content.
    static func tokens(_ expr: String) -> [Token] {
        var result: [Token] = []
        let chars = Array(expr.unicodeScalars)
        var i = 0
        func isIdentStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c == ":" || (c.isASCII && c.properties.isAlphabetic) }
        func isIdentPart(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case " ", "\t", "\n", "\r":
                i += 1
            case "#":
                while i < chars.count, chars[i] != "\n" { i += 1 }
            case "\"", "'", "`":
                var content = String.UnicodeScalarView()
                i += 1
                while i < chars.count, chars[i] != c {
                    if chars[i] == "\\", c != "`", i + 1 < chars.count {
                        i += 1
                    }
                    content.append(chars[i])
                    i += 1
                }
                i += 1
                result.append(.string(String(content)))
            case "$" where i + 1 < chars.count && chars[i + 1] == "{":
                // A `${…}` reference: skip it whole (a placeholder, never a metric name).
                while i < chars.count, chars[i] != "}" { i += 1 }
                i += 1
                result.append(.number)
            case "$":
                // A dashboard variable (`$tenant`, `$__rate_interval`): a placeholder too.
                i += 1
                while i < chars.count, isIdentPart(chars[i]) { i += 1 }
                result.append(.number)
            case "(", "{", "[":
                result.append(.open(Character(c)))
                i += 1
            case ")", "}", "]":
                result.append(.close(Character(c)))
                i += 1
            default:
                if ("0"..."9").contains(c) || (c == "." && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1])) {
                    // Numbers, hex, exponents and durations (`5m`, `1h30m`, `1e9`, `0x1F`).
                    while i < chars.count, isIdentPart(chars[i]) || chars[i] == "." { i += 1 }
                    result.append(.number)
                } else if isIdentStart(c) {
                    var name = String.UnicodeScalarView()
                    while i < chars.count, isIdentPart(chars[i]) {
                        name.append(chars[i])
                        i += 1
                    }
                    let text = String(name)
                    let lower = text.lowercased()
                    result.append(lower == "inf" || lower == "nan" ? .number : .identifier(text))
                } else {
                    result.append(.other(Character(c)))
                    i += 1
                }
            }
        }
        return result
    }

    /// The metric names an expression reads, sorted and without duplicates.
    /// - Parameter expr: PromQL.
    /// - Returns: The names.
    public static func names(in expr: String) -> [String] {
        let tokens = tokens(expr)
        var names = Set<String>()
        // Brackets enclosing the current token: `{` (label matchers), `[` (ranges) and `(`.
        var stack: [Character] = []
        // Depth of the parenthesis that opened a label list (`by (…)`), while inside one.
        var labelListDepth: Int?
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            let next = i + 1 < tokens.count ? tokens[i + 1] : nil
            switch token {
            case .open(let c):
                stack.append(c)
            case .close:
                if labelListDepth == stack.count { labelListDepth = nil }
                if !stack.isEmpty { stack.removeLast() }
            case .identifier(let name):
                // Keywords and aggregation operators are case-insensitive (`BY`, `Sum`).
                let lower = name.lowercased()
                if stack.last == "{" {
                    // `__name__ = "x"` inside label matchers names a metric.
                    if name == "__name__", next == .other("="), i + 2 < tokens.count, case .string(let metric) = tokens[i + 2] {
                        names.insert(metric)
                    }
                } else if stack.last == "[" || labelListDepth != nil {
                    // Ranges hold durations; label lists hold label names.
                } else if labelLists.contains(lower) {
                    if next == .open("(") {
                        labelListDepth = stack.count + 1
                    }
                } else if next == .open("(") || keywords.contains(lower) || aggregations.contains(lower) {
                    // A function call, aggregation or keyword.
                } else {
                    names.insert(name)
                }
            case .string, .number, .other:
                break
            }
            i += 1
        }
        return names.sorted()
    }
}
