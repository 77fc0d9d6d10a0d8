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

    @Test("alert names capitalise each word of an id", arguments: [
        ("postgresql-cpu-high", "PostgresqlCpuHigh"), ("slo.api-availability", "SloApiAvailability"),
        ("tenant-contoso-5xx", "TenantContoso5xx"), ("a--b", "AB"), ("é-x", "ÉX"),
    ])
    func alertName(id: String, expected: String) {
        #expect(PrometheusRenderer.alertName(id) == expected)
    }
}
