import Testing
import VigilModel

@Suite("Duration")
struct DurationTests {
    @Test("parses Prometheus and ISO 8601 forms", arguments: [
        ("30s", 30), ("5m", 300), ("1h30m", 5400), ("1d", 86400), ("1w", 604_800), ("PT5M", 300), ("PT1H", 3600),
        ("P1D", 86400), ("P1DT12H", 129_600), ("PT1H30M", 5400), ("PT45S", 45), ("05m", 300), ("1000000s", 1_000_000),
        ("1w2d3h4m5s", 788_645), ("P2W", 1_209_600), ("P1DT", 86400),
    ])
    func parses(_ text: String, _ seconds: Int) {
        #expect(Duration.parse(text)?.seconds == seconds)
    }

    @Test("refuses malformed durations", arguments: ["", "5", "m", "5 m", "0m", "5m5h", "1h1h", "PT", "P", "PT5", "5M", "-5m", "1.5h", "PT1D",
        "1000001s", "99999999999999999999999m", "5mm", "P5H", "PT1H1T", "5m ", "５m", "5\u{301}m", "PT1HX"])
    func refuses(_ text: String) {
        #expect(Duration.parse(text) == nil)
    }

    @Test("renders ISO 8601 the way Azure writes it", arguments: [
        (60, "PT1M"), (300, "PT5M"), (3600, "PT1H"), (86400, "P1D"), (5400, "PT1H30M"), (90061, "P1DT1H1M1S"),
    ])
    func iso(_ seconds: Int, _ text: String) {
        #expect(Duration(seconds: seconds).iso8601 == text)
    }

    @Test("renders the Prometheus form")
    func prometheus() {
        #expect(Duration(seconds: 5400).prometheus == "1h30m")
        #expect(Duration(seconds: 86400).prometheus == "1d")
    }
}

@Suite("Diagnostics")
struct DiagnosticsTests {
    @Test("sort by file, line, column, id, then message; unlocated first; duplicates removed")
    func ordering() {
        let a = Diagnostic("schema/unknown-key", "b", at: SourceSpan(file: "b.yaml", line: 1, column: 1))
        let b = Diagnostic("schema/unknown-key", "a", at: SourceSpan(file: "a.yaml", line: 10, column: 1))
        let c = Diagnostic("schema/type-mismatch", "a", at: SourceSpan(file: "a.yaml", line: 2, column: 7))
        let d = Diagnostic("schema/empty-value", "a", at: SourceSpan(file: "a.yaml", line: 2, column: 7))
        let e = Diagnostic("cli/unknown-environment", "x", at: nil)
        let bag = Diagnostics([a, b, c, d, e, a])
        #expect(bag.sorted == [e, d, c, b, a])
        #expect(bag.errorCount == 6)
    }

    @Test("file paths order by UTF-8 bytes, so capitals sort before lowercase")
    func byteOrder() {
        #expect(SourceSpan(file: "Z.yaml", line: 1, column: 1) < SourceSpan(file: "a.yaml", line: 1, column: 1))
        #expect(SourceSpan(file: "a.yaml", line: 2, column: 1) < SourceSpan(file: "a.yaml", line: 10, column: 1))
    }
}
