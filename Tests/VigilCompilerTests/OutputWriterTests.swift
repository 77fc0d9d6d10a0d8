import Foundation
import Testing
import VigilCompiler
import VigilTestSupport

@Suite("Output writer")
struct OutputWriterTests {
    static func output(_ name: String, _ files: [String: String]) -> EnvironmentOutput {
        EnvironmentOutput(
            name: name,
            files: files.map { RenderedFile(path: $0.key, bytes: Data($0.value.utf8)) } + [RenderedFile(path: "manifest.json", bytes: Data("{}\n".utf8))])
    }

    @Test("writes each environment folder and replaces its old contents")
    func replaces() throws {
        let tree = try FixtureTree()
        let writer = OutputWriter(directory: tree.url.appendingPathComponent("out"))
        try writer.write([Self.output("a", ["azure/alerts.json": "1", "old.json": "x"])], prune: true)
        try writer.write([Self.output("a", ["azure/alerts.json": "2"])], prune: true)
        #expect(try tree.snapshot("out") == ["a/azure/alerts.json": Data("2".utf8), "a/manifest.json": Data("{}\n".utf8)])
    }

    @Test("a subset run leaves other environments alone; a full run removes stale ones")
    func subsetAndPrune() throws {
        let tree = try FixtureTree()
        let out = tree.url.appendingPathComponent("out")
        let writer = OutputWriter(directory: out)
        try writer.write([Self.output("a", ["f": "1"]), Self.output("b", ["f": "1"])], prune: true)
        try tree.write("out/README.md", "not an environment")
        try writer.write([Self.output("a", ["f": "2"])], prune: false)
        #expect(try tree.snapshot("out")["b/f"] == Data("1".utf8))
        try writer.write([Self.output("a", ["f": "2"])], prune: true)
        let after = try tree.snapshot("out")
        #expect(after["b/f"] == nil)
        #expect(after["README.md"] == Data("not an environment".utf8), "files that are not environment folders stay")
    }

    @Test("an interrupted swap is recovered on the next run")
    func recovery() throws {
        let tree = try FixtureTree()
        let out = tree.url.appendingPathComponent("out")
        // A crash between the two renames leaves the old folder aside and the new one staged.
        try tree.write("out/.vigil-old-a/manifest.json", "{}\n")
        try tree.write("out/.vigil-old-a/f", "previous")
        try tree.write("out/.vigil-new-a/f", "half-written")
        let writer = OutputWriter(directory: out)
        #expect(try writer.drift([Self.output("a", ["f": "previous"])], full: true).map(\.description) == ["missing: a/f", "missing: a/manifest.json"])
        try writer.write([Self.output("b", ["f": "1"])], prune: false)
        let after = try tree.snapshot("out")
        #expect(after["a/f"] == Data("previous".utf8), "the old folder is put back")
        #expect(after.keys.allSatisfy { !$0.hasPrefix(".vigil") }, "\(after.keys)")
    }

    @Test("drift reports missing, changed and extra files and extra environments")
    func drift() throws {
        let tree = try FixtureTree()
        let writer = OutputWriter(directory: tree.url.appendingPathComponent("out"))
        try writer.write([Self.output("a", ["f": "1", "g": "1"]), Self.output("gone", ["f": "1"])], prune: true)
        #expect(try writer.drift([Self.output("a", ["f": "1", "g": "1"]), Self.output("gone", ["f": "1"])], full: true).isEmpty)
        let drift = try writer.drift([Self.output("a", ["f": "2", "h": "1"]), Self.output("new", ["f": "1"])], full: true)
        #expect(drift.map(\.description) == [
            "changed: a/f", "extra: a/g", "missing: a/h", "extra: gone/", "missing: new/f", "missing: new/manifest.json",
        ])
        let subset = try writer.drift([Self.output("a", ["f": "1", "g": "1"])], full: false)
        #expect(subset.isEmpty, "a subset check ignores other environments")
    }
}
