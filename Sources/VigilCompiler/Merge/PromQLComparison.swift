import Foundation

/// The threshold of a Prometheus alert: the first ordering comparison of its expression whose
/// right-hand side is a number.
///
/// Stage: merge (dashboard thresholds linked to alerts). Not a PromQL parser: label matchers,
/// strings, ranges and comments are skipped, the first `>`, `<`, `>=`, `<=`, `==` or `!=` outside
/// them is taken, and its right-hand side must be a number or numbers joined by `+ - * /` and
/// parentheses (`> 3600 + 1800` is 5400, as PromQL's precedence reads it), followed by the end of
/// the expression, a `)`, a comment or `and`/`or`/`unless`. `== 0` and `!= 0` are comparisons but not thresholds.
struct PromQLComparison: Equatable {
    /// `>`, `<`, `>=`, `<=`, `==` or `!=`.
    var `operator`: String
    /// The right-hand side.
    var value: Decimal

    /// Whether the alert fires below the value (`<`, `<=`).
    var firesBelow: Bool { `operator`.hasPrefix("<") }

    /// Whether the comparison orders values (not `==` or `!=`).
    var isOrdering: Bool { `operator` != "==" && `operator` != "!=" }

    /// The first comparison of an expression, when its right-hand side is a number.
    /// - Parameter expr: PromQL.
    /// - Returns: The comparison, or nil when the first comparison is not against a number (or
    ///   there is none).
    static func first(in expr: String) -> PromQLComparison? {
        let chars = Array(expr.unicodeScalars)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\"", "'", "`":
                i = skipString(chars, from: i)
                continue
            case "{":
                i = skipBlock(chars, from: i, open: "{", close: "}")
                continue
            case "[":
                i = skipBlock(chars, from: i, open: "[", close: "]")
                continue
            case "#":
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            case ">", "<", "=", "!":
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                var op = String(c)
                if next == "=" { op.append("=") }
                guard op != "=", op != "!" else {
                    i += 1
                    continue
                }
                var parser = NumberExpression(chars: chars, position: i + op.count)
                parser.skipSpaces()
                parser.skipWord("bool")
                guard let value = parser.parseSum(), parser.atEnd() else { return nil }
                return PromQLComparison(operator: op, value: value)
            default:
                i += 1
            }
        }
        return nil
    }

    static func skipString(_ chars: [Unicode.Scalar], from start: Int) -> Int {
        let quote = chars[start]
        var i = start + 1
        while i < chars.count {
            if chars[i] == "\\" && quote != "`" {
                i += 2
                continue
            }
            if chars[i] == quote { return i + 1 }
            i += 1
        }
        return i
    }

    static func skipBlock(_ chars: [Unicode.Scalar], from start: Int, open: Unicode.Scalar, close: Unicode.Scalar) -> Int {
        var depth = 0
        var i = start
        while i < chars.count {
            let c = chars[i]
            if c == "\"" || c == "'" || c == "`" {
                i = skipString(chars, from: i)
                continue
            }
            if c == open { depth += 1 }
            if c == close {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return i
    }
}

/// Numbers joined by `+ - * /` and parentheses, evaluated exactly (recursive descent).
private struct NumberExpression {
    var chars: [Unicode.Scalar]
    var position: Int

    mutating func skipSpaces() {
        while position < chars.count, chars[position] == " " || chars[position] == "\n" || chars[position] == "\t" || chars[position] == "\r" {
            position += 1
        }
    }

    /// Skips `word` when it stands next, followed by a non-identifier character.
    mutating func skipWord(_ word: String) {
        let scalars = Array(word.unicodeScalars)
        guard position + scalars.count <= chars.count, Array(chars[position..<position + scalars.count]) == scalars else { return }
        let after = position + scalars.count
        if after < chars.count, Self.isIdentifier(chars[after]) { return }
        position = after
        skipSpaces()
    }

    static func isIdentifier(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == ":" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }

    /// Whether only the end, a `)`, a comment or a set operator follows.
    mutating func atEnd() -> Bool {
        skipSpaces()
        guard position < chars.count else { return true }
        if chars[position] == ")" || chars[position] == "#" { return true }
        for word in ["and", "or", "unless"] {
            let scalars = Array(word.unicodeScalars)
            if position + scalars.count <= chars.count, Array(chars[position..<position + scalars.count]) == scalars,
                position + scalars.count == chars.count || !Self.isIdentifier(chars[position + scalars.count])
            {
                return true
            }
        }
        return false
    }

    mutating func parseSum() -> Decimal? {
        guard var value = parseProduct() else { return nil }
        while true {
            skipSpaces()
            guard position < chars.count, chars[position] == "+" || chars[position] == "-" else { return value }
            let op = chars[position]
            position += 1
            guard let rhs = parseProduct() else { return nil }
            value = op == "+" ? value + rhs : value - rhs
        }
    }

    mutating func parseProduct() -> Decimal? {
        guard var value = parseFactor() else { return nil }
        while true {
            skipSpaces()
            guard position < chars.count, chars[position] == "*" || chars[position] == "/" else { return value }
            let op = chars[position]
            position += 1
            guard let rhs = parseFactor() else { return nil }
            if op == "*" {
                value *= rhs
            } else {
                guard !rhs.isZero else { return nil }
                value /= rhs
            }
        }
    }

    mutating func parseFactor() -> Decimal? {
        skipSpaces()
        guard position < chars.count else { return nil }
        if chars[position] == "-" || chars[position] == "+" {
            let negative = chars[position] == "-"
            position += 1
            return parseFactor().map { negative ? -$0 : $0 }
        }
        if chars[position] == "(" {
            position += 1
            guard let value = parseSum() else { return nil }
            skipSpaces()
            guard position < chars.count, chars[position] == ")" else { return nil }
            position += 1
            return value
        }
        return parseNumber()
    }

    /// `12`, `0.25`, `1e9`, `1.5E-3`.
    mutating func parseNumber() -> Decimal? {
        let start = position
        func digits() -> Bool {
            let from = position
            while position < chars.count, ("0"..."9").contains(chars[position]) { position += 1 }
            return position > from
        }
        guard digits() else { return nil }
        if position < chars.count, chars[position] == "." {
            position += 1
            guard digits() else { return nil }
        }
        if position < chars.count, chars[position] == "e" || chars[position] == "E" {
            position += 1
            if position < chars.count, chars[position] == "+" || chars[position] == "-" { position += 1 }
            guard digits() else { return nil }
        }
        // A number must not run into an identifier (`5m` is a duration, `1h` too).
        if position < chars.count, Self.isIdentifier(chars[position]) { return nil }
        var text = ""
        text.unicodeScalars.append(contentsOf: chars[start..<position])
        return Decimal(string: text, locale: SchemaValidator.posix)
    }
}
