import Foundation
import Testing

@testable import VigilCompiler

@Suite("Byte-level string helpers")
struct StringBytesTests {
    @Test("replacingEvery equals Foundation's replacingOccurrences on ASCII tokens", arguments: [
        ("rate(x[$window])", "$window", "5m"),
        ("$window$window", "$window", "1h"),
        ("no token here", "$window", "5m"),
        ("$windo", "$window", "5m"),
        ("é $window ✓ $window", "$window", "30m"),
        ("line\nbreak\n", "\n", " "),
        ("", "\n", " "),
    ])
    func replacing(text: String, token: String, replacement: String) {
        #expect(text.replacingEvery(token, with: replacement) == text.replacingOccurrences(of: token, with: replacement))
    }

    @Test("hasPlaceholder and containsBytes agree with Foundation's contains wherever the bytes fall")
    func searching() {
        var texts = ["", "$", "{", "${", "$${", "$ {", "x$", "$x{", "é${a}", "✓$", "a$b$c${d}"]
        for offset in 0..<20 {
            texts.append(String(repeating: "a", count: offset) + "${x}")
            texts.append(String(repeating: "$", count: offset) + "{")
            texts.append(String(repeating: "a", count: offset) + "$")
        }
        for text in texts {
            #expect(text.hasPlaceholder == text.contains("${"), "\(text)")
            for needle in ["$", "${", "a$", "{x}", "é", "logic.azure.com"] {
                #expect(text.containsBytes(needle) == text.contains(needle), "\(needle) in \(text)")
            }
        }
        #expect("https://prod.logic.azure.com/x?sig=1".containsBytes("logic.azure.com"))
        #expect("abc".containsBytes(""))
    }

    @Test("alert names capitalise each word of an id", arguments: [
        ("postgresql-cpu-high", "PostgresqlCpuHigh"), ("slo.api-availability", "SloApiAvailability"),
        ("tenant-contoso-5xx", "TenantContoso5xx"), ("a--b", "AB"), ("é-x", "ÉX"),
    ])
    func alertName(id: String, expected: String) {
        #expect(PrometheusRenderer.alertName(id) == expected)
    }
}
