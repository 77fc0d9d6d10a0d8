/// A schema pattern compiled to a byte matcher, for text of printable ASCII.
///
/// Schema patterns are small: character classes, literals, groups with `|`, and the greedy
/// quantifiers `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}`, anchored by `^` and `$`. This matcher
/// handles exactly that subset with the same meaning as ICU's (`NSRegularExpression`) on
/// printable ASCII text (bytes 0x20 to 0x7E), by backtracking. A pattern outside the subset does not
/// compile (``init(_:)`` returns nil) and text with any other byte is not matched here
/// (``matches(_:)`` returns nil): ``PatternCache`` then asks ICU. `AsciiPatternTests` checks
/// every schema pattern against ICU on generated strings.
struct AsciiPattern: Sendable {
    /// One element of a sequence, with how often it repeats.
    fileprivate struct Node: Sendable {
        enum Kind: Sendable {
            /// A set of ASCII bytes (a class, a literal, `.`, an escape).
            case set(ByteSet)
            /// A group: alternatives, each a sequence.
            case group([[Node]])
        }
        var kind: Kind
        var min: Int
        var max: Int
    }

    /// 128 bits, one per ASCII byte.
    fileprivate struct ByteSet: Sendable {
        var low: UInt64 = 0, high: UInt64 = 0
        mutating func insert(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else if byte < 128 { high |= 1 << UInt64(byte - 64) }
        }
        mutating func insert(_ range: ClosedRange<UInt8>) { for byte in range { insert(byte) } }
        mutating func formUnion(_ other: ByteSet) { low |= other.low; high |= other.high }
        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
        }
        /// Every printable byte not in this set (what `[^…]` means on printable text).
        var complement: ByteSet {
            var result = ByteSet()
            for byte in UInt8(0x20)...0x7E where !contains(byte) { result.insert(byte) }
            return result
        }
        static let printable: ByteSet = { var s = ByteSet(); s.insert(0x20...0x7E); return s }()
        static let space: ByteSet = { var s = ByteSet(); s.insert(0x20); s.insert(0x09...0x0D); return s }()
        static let digit: ByteSet = { var s = ByteSet(); s.insert(0x30...0x39); return s }()
        static let word: ByteSet = {
            var s = ByteSet(); s.insert(0x30...0x39); s.insert(0x41...0x5A); s.insert(0x61...0x7A); s.insert(0x5F); return s
        }()
    }

    private let sequence: [Node]

    /// Compiles a pattern, or returns nil when it uses anything outside the subset.
    init?(_ pattern: String) {
        var bytes = Array(pattern.utf8)
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        if bytes.first == UInt8(ascii: "^") { bytes.removeFirst() }
        if bytes.last == UInt8(ascii: "$"), bytes.count < 2 || bytes[bytes.count - 2] != UInt8(ascii: "\\") { bytes.removeLast() }
        var parser = Parser(bytes: bytes)
        guard let alternatives = parser.alternatives(), parser.index == bytes.count else { return nil }
        sequence = alternatives.count == 1 ? alternatives[0] : [Node(kind: .group(alternatives), min: 1, max: 1)]
    }

    /// Whether the whole of `text` matches, or nil when `text` holds a byte other than printable
    /// ASCII.
    func matches(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { buffer -> Bool? in
            for byte in buffer where byte < 0x20 || byte > 0x7E { return nil }
            return Self.match(sequence[...], buffer, 0) { $0 == buffer.count }
        }
    }

    /// Matches `nodes` at `position`, then asks `rest` about where it ended; backtracks until
    /// `rest` accepts or every way is tried.
    private static func match(
        _ nodes: ArraySlice<Node>, _ text: UnsafeBufferPointer<UInt8>, _ position: Int, _ rest: (Int) -> Bool
    ) -> Bool {
        guard let node = nodes.first else { return rest(position) }
        let tail = nodes.dropFirst()
        switch node.kind {
        case .set(let set):
            var count = 0
            while count < node.max, position + count < text.count, set.contains(text[position + count]) { count += 1 }
            guard count >= node.min else { return false }
            while count >= node.min {
                if match(tail, text, position + count, rest) { return true }
                count -= 1
            }
            return false
        case .group(let alternatives):
            // Greedy: one more repetition first, then the rest; a repetition that consumes
            // nothing ends the loop (as ICU does).
            func repeated(_ done: Int, _ at: Int) -> Bool {
                if done < node.max {
                    for alternative in alternatives {
                        let more = match(alternative[...], text, at) { end in
                            (end > at || done < node.min) && repeated(done + 1, end)
                        }
                        if more { return true }
                    }
                }
                return done >= node.min && match(tail, text, at, rest)
            }
            return repeated(0, position)
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func alternatives() -> [[Node]]? {
            var result: [[Node]] = []
            while true {
                guard let sequence = sequence() else { return nil }
                result.append(sequence)
                guard index < bytes.count, bytes[index] == UInt8(ascii: "|") else { return result }
                index += 1
            }
        }

        mutating func sequence() -> [Node]? {
            var nodes: [Node] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "|"), bytes[index] != UInt8(ascii: ")") {
                guard var node = atom() else { return nil }
                guard quantifier(&node.min, &node.max) else { return nil }
                nodes.append(node)
            }
            return nodes
        }

        mutating func atom() -> Node? {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "("):
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "?"), bytes[index + 1] == UInt8(ascii: ":") { index += 2 }
                guard index < bytes.count, bytes[index] != UInt8(ascii: "?"), let alternatives = alternatives(),
                    index < bytes.count, bytes[index] == UInt8(ascii: ")")
                else { return nil }
                index += 1
                return Node(kind: .group(alternatives), min: 1, max: 1)
            case UInt8(ascii: "["):
                return set().map { Node(kind: .set($0), min: 1, max: 1) }
            case UInt8(ascii: "."):
                return Node(kind: .set(.printable), min: 1, max: 1)
            case UInt8(ascii: "\\"):
                return escape().map { Node(kind: .set($0), min: 1, max: 1) }
            case UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"),
                UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "]"):
                return nil
            default:
                var set = ByteSet()
                set.insert(byte)
                return Node(kind: .set(set), min: 1, max: 1)
            }
        }

        /// An escape after `\`: a class (`\s`, `\d`, `\w`) or a punctuation literal.
        mutating func escape() -> ByteSet? {
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "s"): return .space
            case UInt8(ascii: "d"): return .digit
            case UInt8(ascii: "w"): return .word
            default:
                // Letters and digits after `\` mean something else in ICU (or are errors).
                guard !ByteSet.word.contains(byte) else { return nil }
                var set = ByteSet()
                set.insert(byte)
                return set
            }
        }

        /// A class after `[`, up to and including `]`.
        mutating func set() -> ByteSet? {
            var result = ByteSet()
            var negated = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "^") { negated = true; index += 1 }
            var first = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "]"), !first { index += 1; return negated ? result.complement : result }
                // ICU gives `[` (nested sets, `[:…:]`), `&&` and `--` their own meanings inside a class.
                guard byte != UInt8(ascii: "["),
                    byte != UInt8(ascii: "&") || index + 1 >= bytes.count || bytes[index + 1] != UInt8(ascii: "&")
                else { return nil }
                first = false
                index += 1
                if byte == UInt8(ascii: "\\") {
                    guard let escaped = escape() else { return nil }
                    result.formUnion(escaped)
                    continue
                }
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] != UInt8(ascii: "]") {
                    var upper = bytes[index + 1]
                    guard upper != UInt8(ascii: "["), upper != UInt8(ascii: "-") else { return nil }
                    index += 2
                    if upper == UInt8(ascii: "\\") {
                        guard index < bytes.count, !ByteSet.word.contains(bytes[index]) else { return nil }
                        upper = bytes[index]
                        index += 1
                    }
                    guard byte <= upper else { return nil }
                    result.insert(byte...upper)
                    continue
                }
                if byte == UInt8(ascii: "-"), index < bytes.count, bytes[index] == UInt8(ascii: "-") { return nil }
                result.insert(byte)
            }
            return nil
        }

        /// An optional greedy quantifier after an atom.
        mutating func quantifier(_ min: inout Int, _ max: inout Int) -> Bool {
            guard index < bytes.count else { return true }
            switch bytes[index] {
            case UInt8(ascii: "*"): (min, max) = (0, .max); index += 1
            case UInt8(ascii: "+"): (min, max) = (1, .max); index += 1
            case UInt8(ascii: "?"): (min, max) = (0, 1); index += 1
            case UInt8(ascii: "{"):
                index += 1
                guard let lower = number() else { return false }
                var upper = lower
                if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    upper = index < bytes.count && bytes[index] == UInt8(ascii: "}") ? .max : (number() ?? -1)
                }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "}"), upper >= lower else { return false }
                index += 1
                (min, max) = (lower, upper)
            default: return true
            }
            // Lazy (`*?`) and possessive (`*+`) forms, and a quantifier on a quantifier, are not
            // in the subset.
            if index < bytes.count, [UInt8(ascii: "?"), UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "{")].contains(bytes[index]) {
                return false
            }
            return true
        }

        mutating func number() -> Int? {
            var value = 0, digits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 6 {
                value = value * 10 + Int(bytes[index] - 0x30)
                digits += 1
                index += 1
            }
            return digits == 0 ? nil : value
        }
    }
}
