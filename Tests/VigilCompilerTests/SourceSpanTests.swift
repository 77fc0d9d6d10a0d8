import Foundation
import Testing
import VigilModel

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
}
