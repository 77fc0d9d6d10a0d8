import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

@Suite("Embedded library")
struct EmbeddedLibraryTests {
    static let generated = PackagePaths.root.appendingPathComponent("Sources/VigilCompiler/Library/EmbeddedLibrary.swift")

    @Test("EmbeddedLibrary.swift matches baselines/, overlays/ and templates/ (run scripts/embed-library.sh)")
    func fresh() throws {
        let source = LibraryEmbedder.source(for: try LibraryEmbedder.files(under: PackagePaths.root))
        if let failure = GoldenFile.compare(Data(source.utf8), expected: Self.generated) {
            Issue.record(Comment(rawValue: "the embedded library is stale; run scripts/embed-library.sh\n" + failure))
        }
    }

    @Test("a root without library: renders with the embedded copy exactly as with the library folder")
    func embeddedEqualsDirectory() throws {
        let tree = try FixtureTree()
        try tree.copy(PackagePaths.root.appendingPathComponent("examples/environments"), to: "embedded/environments")
        try tree.copy(PackagePaths.root.appendingPathComponent("examples/environments"), to: "folder/environments")
        try tree.write("folder/vigil.yaml", "apiVersion: vigil/v1\nkind: Config\nname: folder\nlibrary: \(PackagePaths.root.path)\n")
        let embedded = try Compiler().compile(Compiler.Options(root: tree.url.appendingPathComponent("embedded")))
        let folder = try Compiler().compile(Compiler.Options(root: tree.url.appendingPathComponent("folder")))
        #expect(!embedded.diagnostics.hasErrors, "\(embedded.diagnostics.sorted)")
        #expect(!embedded.outputs.isEmpty)
        #expect(embedded.outputs == folder.outputs)
        let manifest = String(decoding: try #require(embedded.outputs.first?.files.first { $0.path == "manifest.json" }).bytes, as: UTF8.self)
        #expect(manifest.contains("\"libraryDigest\": \"sha256:"))
    }

    @Test("library: none reads no library")
    func none() throws {
        let tree = try FixtureTree()
        try tree.copy(PackagePaths.root.appendingPathComponent("examples/environments"), to: "environments")
        try tree.write("vigil.yaml", "apiVersion: vigil/v1\nkind: Config\nname: bare\nlibrary: none\n")
        let result = try Compiler().compile(Compiler.Options(root: tree.url))
        #expect(result.environments.allSatisfy { $0.alerts.isEmpty })
    }
}
