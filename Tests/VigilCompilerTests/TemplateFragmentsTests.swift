import Foundation
import Testing
@testable import VigilCompiler
import VigilTestSupport

/// `vigil diff` parses only the template resources whose bytes differ (`TemplateFragments`): the
/// changes it finds that way are those of comparing the whole files.
@Suite("Template fragments")
struct TemplateFragmentsTests {
    static let template = PackagePaths.root.appendingPathComponent("examples/out/acme-prod/azure/alerts.json")

    static func resources(_ value: CanonicalValue) -> [CanonicalValue] {
        if case .object(let root) = value, case .array(let resources)? = root["resources"] { return resources }
        return []
    }

    /// The units whose value differs between two sides (added and removed included), by key.
    static func changes(_ base: CanonicalValue, _ head: CanonicalValue) -> [String: [CanonicalValue?]] {
        let old = Dictionary(ResourceUnits.extract(path: "t.json", values: [base]).map { ($0.key, $0.value) }) { a, _ in a }
        let new = Dictionary(ResourceUnits.extract(path: "t.json", values: [head]).map { ($0.key, $0.value) }) { a, _ in a }
        var changed: [String: [CanonicalValue?]] = [:]
        for key in Set(old.keys).union(new.keys) where old[key] != new[key] { changed[key] = [old[key], new[key]] }
        return changed
    }

    /// Pruned and whole comparisons agree; returns how many resources the pruned sides kept.
    static func agree(_ base: Data, _ head: Data) throws -> (base: Int, head: Int) {
        let pruned = try #require(TemplateFragments.pruned(base: base, head: head))
        let whole = changes(try ArtifactReader.json(base), try ArtifactReader.json(head))
        #expect(changes(pruned.base, pruned.head) == whole)
        return (resources(pruned.base).count, resources(pruned.head).count)
    }

    struct NotATemplate: Error {}

    static func edit(_ data: Data, _ body: (inout [CanonicalValue]) -> Void) throws -> Data {
        guard case .object(var root) = try ArtifactReader.json(data), case .array(var resources)? = root["resources"] else {
            throw NotATemplate()
        }
        body(&resources)
        root["resources"] = .array(resources)
        return CanonicalJSONWriter().write(.object(root))
    }

    @Test("a rendered template splits into exactly its resources, and the rest is the template without them")
    func split() throws {
        let data = try Data(contentsOf: Self.template)
        let tree = try ArtifactReader.json(data)
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let fragments = try #require(TemplateFragments(bytes))
            let parsed = try fragments.resources.map { try ArtifactReader.json(UnsafeBufferPointer(rebasing: bytes[$0])) }
            #expect(parsed == Self.resources(tree))
            #expect(parsed.count > 50)
            guard case .object(var root) = tree else { return }
            root["resources"] = .array([])
            #expect(try fragments.rest(of: bytes) == .object(root))
        }
    }

    @Test("one changed, one added, one removed resource: only those are kept, and the changes are those of the whole files")
    func pruned() throws {
        let base = try Data(contentsOf: Self.template)
        let count = Self.resources(try ArtifactReader.json(base)).count
        #expect(try Self.agree(base, base) == (0, 0))
        let changed = try Self.edit(base) { resources in
            // The same length: only the bytes tell the resources apart.
            guard case .object(var fields) = resources[7], case .string(let location)? = fields["location"] else { return }
            fields["location"] = .string(String(location.dropLast()) + "_")
            resources[7] = .object(fields)
        }
        #expect(try Self.agree(base, changed) == (1, 1))
        let removed = try Self.edit(base) { $0.remove(at: 3) }
        #expect(try Self.agree(base, removed) == (1, 0))
        #expect(try Self.agree(removed, base) == (0, 1))
        let both = try Self.edit(base) { resources in
            resources.remove(at: count - 1)
            resources.remove(at: 10)
            resources[20] = .object(["type": .string("Microsoft.Insights/metricAlerts"), "name": .string("new")])
        }
        let kept = try Self.agree(base, both)
        #expect(kept.base <= 4 && kept.head <= 2)
    }

    static func key(_ resource: CanonicalValue) -> String {
        "\(TemplateSplitTests.string(resource, "type") ?? "")\u{0}\(TemplateSplitTests.string(resource, "name") ?? "")"
    }

    @Test("a block of added resources is paired by type and name: only the added ones are kept")
    func block() throws {
        let base = try Data(contentsOf: Self.template)
        let head = try Self.edit(base) { resources in
            for n in 1...8 {
                guard case .object(var fields) = resources[10], case .string(let name)? = fields["name"] else { return }
                fields["name"] = .string("\(name)-tenant-\(n)")
                resources.append(.object(fields))
            }
            resources.sort { Self.key($0).utf8.lexicographicallyPrecedes(Self.key($1).utf8) }
        }
        #expect(try Self.agree(base, head) == (0, 8))
        #expect(try Self.agree(head, base) == (8, 0))
        // Out of order (not as Vigil writes them): aligned in order, and still the same changes.
        let reversedBase = try Self.edit(base) { $0.reverse() }
        let reversedHead = try Self.edit(head) { $0.reverse() }
        let kept = try Self.agree(reversedBase, reversedHead)
        #expect(kept.head >= 8)
    }

    @Test("a template not laid out as Vigil writes it is not split: the whole file is parsed")
    func foreign() throws {
        let base = try Data(contentsOf: Self.template)
        let compact = Data(CanonicalJSONWriter().compact(try ArtifactReader.json(base)).utf8)
        #expect(TemplateFragments.pruned(base: base, head: compact) == nil)
        let empty = CanonicalJSONWriter().write(.fields(["resources": .array([])]))
        #expect(TemplateFragments.pruned(base: empty, head: empty) == nil)
        var broken = base
        broken.append(contentsOf: Array("x".utf8))
        #expect(TemplateFragments.pruned(base: base, head: broken) == nil)
    }
}
