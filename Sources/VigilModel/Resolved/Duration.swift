/// A whole number of seconds, written `5m`, `1h30m`, `1d` (Prometheus style) or `PT5M`, `P1D`
/// (ISO 8601) in definitions; rendered as ISO 8601 for Azure and Prometheus style for rules.
public struct Duration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in seconds (> 0).
    public var seconds: Int

    /// Creates a duration.
    /// - Parameter seconds: Seconds.
    public init(seconds: Int) { self.seconds = seconds }

    /// Parses `30s`, `5m`, `1h30m`, `2d`, `1w` or ISO 8601 `PT5M`, `P1D`, `P1DT12H`.
    /// - Parameter text: The text.
    /// - Returns: The duration, or nil when the text is neither form or is zero.
    public static func parse(_ text: String) -> Duration? {
        var utf8 = text.utf8.makeIterator()
        guard let first = text.utf8.first else { return nil }
        if first == UInt8(ascii: "P") {
            _ = utf8.next()
            return parseISO(&utf8)
        }
        var total = 0
        var number = Number()
        var lastRank = Int.max
        while let byte = utf8.next() {
            if number.take(byte) { continue }
            // Units in descending order: w d h m s, each at most once.
            let unit: (seconds: Int, rank: Int)
            switch byte {
            case UInt8(ascii: "w"): unit = (604_800, 5)
            case UInt8(ascii: "d"): unit = (86400, 4)
            case UInt8(ascii: "h"): unit = (3600, 3)
            case UInt8(ascii: "m"): unit = (60, 2)
            case UInt8(ascii: "s"): unit = (1, 1)
            default: return nil
            }
            guard unit.rank < lastRank, let n = number.finish() else { return nil }
            total += n * unit.seconds
            lastRank = unit.rank
        }
        guard number.isEmpty, total > 0 else { return nil }
        return Duration(seconds: total)
    }

    /// The digits before a unit: at most 1,000,000.
    private struct Number {
        var value = 0
        var digits = 0

        var isEmpty: Bool { digits == 0 }

        /// Takes a digit; false for any other byte.
        mutating func take(_ byte: UInt8) -> Bool {
            guard byte >= 0x30 && byte <= 0x39 else { return false }
            if value <= 1_000_000 { value = value * 10 + Int(byte - 0x30) }
            digits += 1
            return true
        }

        /// The number, nil when there are no digits or it is too large; resets.
        mutating func finish() -> Int? {
            defer { self = Number() }
            return digits > 0 && value <= 1_000_000 ? value : nil
        }
    }

    private static func parseISO(_ utf8: inout String.UTF8View.Iterator) -> Duration? {
        var total = 0
        var inTime = false
        var number = Number()
        var seenAny = false
        while let byte = utf8.next() {
            if byte == UInt8(ascii: "T") {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            if number.take(byte) { continue }
            let seconds: Int
            switch (inTime, byte) {
            case (false, UInt8(ascii: "W")): seconds = 604_800
            case (false, UInt8(ascii: "D")): seconds = 86400
            case (true, UInt8(ascii: "H")): seconds = 3600
            case (true, UInt8(ascii: "M")): seconds = 60
            case (true, UInt8(ascii: "S")): seconds = 1
            default: return nil
            }
            guard let n = number.finish() else { return nil }
            total += n * seconds
            seenAny = true
        }
        guard number.isEmpty, seenAny, total > 0 else { return nil }
        return Duration(seconds: total)
    }

    /// ISO 8601 form as Azure writes it: `PT5M`, `PT1H`, `P1D`, `PT1H30M`.
    public var iso8601: String {
        var s = seconds
        let days = s / 86400
        s %= 86400
        var out = "P"
        if days > 0 { out += "\(days)D" }
        if s > 0 {
            out += "T"
            let h = s / 3600, m = (s % 3600) / 60, sec = s % 60
            if h > 0 { out += "\(h)H" }
            if m > 0 { out += "\(m)M" }
            if sec > 0 { out += "\(sec)S" }
        }
        return out
    }

    /// Prometheus form: `5m`, `1h30m`, `1d`.
    public var prometheus: String {
        var s = seconds
        var out = ""
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where s >= size {
            out += "\(s / size)\(unit)"
            s %= size
        }
        return out
    }

    /// Orders by length.
    public static func < (lhs: Duration, rhs: Duration) -> Bool { lhs.seconds < rhs.seconds }

    /// The Prometheus form.
    public var description: String { prometheus }
}
