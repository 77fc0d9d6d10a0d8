import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

@Suite("Source spans")
struct SourceSpanTests {
    @Test("a span's file is interned: equal paths give equal spans and names, the path reads back, order follows the path's bytes")
    func internedFiles() {
        let a = SourceSpan(file: "environments/acme-prod.yaml", line: 3, column: 5)
        let b = SourceSpan(file: String("environments/acme-" + "prod.yaml"), line: 3, column: 5)
        #expect(a == b && a.hashValue == b.hashValue && a.fileName == b.fileName)
        #expect(a.file == "environments/acme-prod.yaml" && a.description == "environments/acme-prod.yaml:3:5")
        var moved = a
        moved.file = "library:/baselines/data/postgresql.yaml"
        #expect(moved != a && moved.file == "library:/baselines/data/postgresql.yaml" && moved.start == a.start)
        // By path bytes, whatever order the names were interned in.
        let later = SourceSpan(file: "environments/aaa-first.yaml", line: 9, column: 1)
        #expect(later < a && !(a < later))
        #expect(SourceSpan(file: "é.yaml", line: 1, column: 1) > SourceSpan(file: "z.yaml", line: 1, column: 1))
        #expect(SourceSpan(file: "x.yaml", line: 2, column: 1) < SourceSpan(file: "x.yaml", line: 2, column: 3))
    }

    @Test("one field's location, found by walking to it, is the one in the derived map of every field, for every item of the examples")
    func locationOfOneField() throws {
        let result = try Compiler().compile(Compiler.Options(root: PackagePaths.root.appendingPathComponent("examples")))
        var checked = 0
        for environment in result.environments {
            let provenances = environment.alerts.map(\.provenance) + environment.retention.map(\.provenance)
                + environment.collection.map(\.provenance) + environment.probes.map(\.provenance)
            for provenance in provenances {
                let all = provenance.fields
                for (path, span) in all {
                    #expect(provenance.location(of: path) == span, "\(path)")
                    checked += 1
                }
                #expect(provenance.location(of: "no-such-field") == nil)
                #expect(provenance.location(of: "") == nil)
            }
        }
        #expect(checked > 1000)
    }
}
