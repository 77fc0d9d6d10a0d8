import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

/// `--shard i/n`: a stable partition of the environments whose union is the unsharded output,
/// and shards that never prune or recover each other's folders.
@Suite("Shards")
struct ShardTests {
    static let examples = PackagePaths.root.appendingPathComponent("examples")

    static func outputs(_ shard: Shard?) throws -> [String: Data] {
        var options = Compiler.Options(root: examples)
        options.shard = shard
        let result = try Compiler().compile(options)
        #expect(!result.diagnostics.hasErrors)
        #expect(result.shard == shard && result.isFullRun)
        var tree: [String: Data] = [:]
        for output in result.outputs {
            for file in output.files { tree["\(output.name)/\(file.path)"] = file.bytes }
        }
        return tree
    }

    @Test("the union of 3 shards is the unsharded output, byte for byte, and no environment is in two")
    func unionEqualsUnsharded() throws {
        let whole = try Self.outputs(nil)
        var union: [String: Data] = [:]
        var environments: [String] = []
        for index in 1...3 {
            let part = try Self.outputs(Shard(index: index, count: 3))
            environments += Set(part.keys.map { String($0.split(separator: "/")[0]) })
            union.merge(part) { a, _ in Issue.record("a file in two shards"); return a }
        }
        #expect(union == whole)
        #expect(environments.count == Set(environments).count)
        #expect(Set(environments).count == 9)
    }

    @Test("shard assignment is pinned: the same on every machine, independent of the other environments")
    func stable() {
        #expect([("acme-prod", 4), ("shared-neu-prod", 4), ("dev-sandbox", 8), ("env00042", 16)].map { Shard.index(of: $0.0, count: $0.1) } == [3, 2, 6, 3],
            "computed independently: int.from_bytes(hashlib.sha256(name).digest()[:8], 'big') % n + 1")
        #expect(Shard(parsing: "2/8") == Shard(index: 2, count: 8))
        for bad in ["0/3", "4/3", "1/0", "1", "a/b", "1/2/3", "-1/2"] { #expect(Shard(parsing: bad) == nil, "\(bad)") }
        #expect((1...5).allSatisfy { Shard(index: 1, count: 1)!.contains("env\($0)") })
    }

    @Test("a shard prunes and recovers only its own folders")
    func pruneOnlyOwn() throws {
        let tree = try FixtureTree()
        let out = tree.url.appendingPathComponent("out")
        let writer = OutputWriter(directory: out)
        var options = Compiler.Options(root: Self.examples)
        try writer.write(try Compiler().compile(options).outputs, prune: true)
        // Two retired environments, one per shard of 2, and a staging folder left by the other shard.
        let retired = (0..<200).map { "retired-\($0)" }
        let first = try #require(retired.first { Shard.index(of: $0, count: 2) == 1 })
        let second = try #require(retired.first { Shard.index(of: $0, count: 2) == 2 })
        for name in [first, second] { try tree.write("out/\(name)/manifest.json", "{}\n") }
        try tree.write("out/.vigil-staging-\(second)/manifest.json", "{}\n")
        options.shard = Shard(index: 1, count: 2)
        let result = try Compiler().compile(options)
        #expect(try writer.drift(result.outputs, full: true, shard: result.shard).map(\.path) == ["\(first)/"])
        try writer.write(result.outputs, prune: true, shard: result.shard)
        let folders = try writer.environmentFolders()
        #expect(!folders.contains(first), "its own retired folder is pruned")
        #expect(folders.contains(second), "another shard's folder is left alone")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(".vigil-staging-\(second)").path), "and its staging folder")
        #expect(folders.count == 10, "the 9 environments of both shards and the other shard's retired one")
    }
}
