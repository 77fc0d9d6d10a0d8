public import Foundation

/// Golden-file comparison with a regenerate switch: `UPDATE_GOLDEN=1` writes the actual output
/// over the expected files (review the result with `git diff`); without it a mismatch is
/// reported with a unified diff. `scripts/update-golden.sh` runs both passes.
public enum GoldenFile {
    /// Whether this run records goldens.
    public static var isUpdating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// Compares `actual` with the file at `expected`, or records it.
    /// - Returns: A failure message, or nil when they match (or were recorded).
    public static func compare(_ actual: Data, expected: URL) -> String? {
        if isUpdating {
            try? FileManager.default.createDirectory(at: expected.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: expected)
            return nil
        }
        guard let existing = try? Data(contentsOf: expected) else {
            return "missing golden file \(expected.path); run scripts/update-golden.sh"
        }
        if existing == actual { return nil }
        return "golden mismatch for \(expected.lastPathComponent):\n" + unifiedDiff(existing, actual)
            + "\nrun scripts/update-golden.sh and review the diff"
    }

    /// Compares a whole tree (relative path → bytes) with a folder, or records it (removing stale files).
    /// - Returns: Failure messages; empty when they match.
    public static func compareTree(_ actual: [String: Data], expected folder: URL) -> [String] {
        if isUpdating {
            try? FileManager.default.removeItem(at: folder)
            for (path, data) in actual {
                let url = folder.appendingPathComponent(path)
                try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? data.write(to: url)
            }
            return []
        }
        let existing = (try? FixtureTree.snapshot(of: folder)) ?? [:]
        var failures: [String] = []
        for path in Set(actual.keys).union(existing.keys).sorted() {
            switch (existing[path], actual[path]) {
            case (nil, _?): failures.append("extra file (not in golden): \(path)")
            case (_?, nil): failures.append("missing file (in golden, not rendered): \(path)")
            case let (e?, a?) where e != a: failures.append("\(path) differs:\n" + unifiedDiff(e, a))
            default: break
            }
        }
        if !failures.isEmpty { failures.append("run scripts/update-golden.sh and review the diff") }
        return failures
    }

    /// A unified diff of two texts, via `diff -u` when available.
    public static func unifiedDiff(_ old: Data, _ new: Data) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-diff-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("expected"), b = dir.appendingPathComponent("actual")
        try? old.write(to: a)
        try? new.write(to: b)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["diff", "-u", a.path, b.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        } catch {
            return "--- expected\n\(String(decoding: old, as: UTF8.self))\n+++ actual\n\(String(decoding: new, as: UTF8.self))"
        }
    }
}
