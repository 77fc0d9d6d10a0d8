import Foundation
import VigilCompiler
import VigilModel

/// Where the CLI prints: diagnostics and progress to stderr, requested data to stdout.
enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Whether stderr is a terminal (progress lines are drawn only there).
    static let isTerminal = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"

    /// Redraws the progress line on stderr (a terminal only).
    static func progress(_ text: String) {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[Kvigil: \(text)".utf8))
    }

    /// Clears the progress line.
    static func endProgress() {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func report(_ diagnostics: Diagnostics, sources: [String: String] = [:]) {
        let text = TextReporter(sources: sources).report(diagnostics.all)
        if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
    }
}

/// Settings for tests only, read from the environment.
enum DebugSettings {
    /// `VIGIL_DEBUG_DISCOVERY_ORDER=reverse` hands files on in reverse order (output must not change).
    /// `VIGIL_TODAY=YYYY-MM-DD` fixes the date waivers expire against.
    static var today: String? { ProcessInfo.processInfo.environment["VIGIL_TODAY"] }

    static var discoveryOrder: SourceTree.Order {
        ProcessInfo.processInfo.environment["VIGIL_DEBUG_DISCOVERY_ORDER"] == "reverse" ? .reversed : .sorted
    }
}
