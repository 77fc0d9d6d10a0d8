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
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        if text.hasPrefix("P") { return parseISO(text) }
        var total = 0
        var digits = ""
        var lastRank = Int.max
        let rank: [Character: Int] = ["w": 5, "d": 4, "h": 3, "m": 2, "s": 1]
        for ch in text {
            if ch.isASCII, ch.isNumber {
                digits.append(ch)
            } else if let unit = units[ch], let r = rank[ch], !digits.isEmpty, r < lastRank,
                let n = Int(digits), n <= 1_000_000
            {
                total += n * unit
                digits = ""
                lastRank = r
            } else {
                return nil
            }
        }
        guard digits.isEmpty, total > 0 else { return nil }
        return Duration(seconds: total)
    }

    private static func parseISO(_ text: String) -> Duration? {
        var rest = Substring(text.dropFirst())
        var total = 0
        var inTime = false
        var digits = ""
        var seenAny = false
        let dateUnits: [Character: Int] = ["W": 604_800, "D": 86400]
        let timeUnits: [Character: Int] = ["H": 3600, "M": 60, "S": 1]
        while let ch = rest.first {
            rest = rest.dropFirst()
            if ch == "T" {
                guard !inTime, digits.isEmpty else { return nil }
                inTime = true
            } else if ch.isASCII, ch.isNumber {
                digits.append(ch)
            } else if let unit = (inTime ? timeUnits : dateUnits)[ch], let n = Int(digits), n <= 1_000_000 {
                total += n * unit
                digits = ""
                seenAny = true
            } else {
                return nil
            }
        }
        guard digits.isEmpty, seenAny, total > 0 else { return nil }
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
