import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

/// `catalogue/signals.json` lists every signal the library and the example fleet use, with a
/// source. These tests extract the signals from the definitions (alerts, recording rules,
/// retention, collection, exports and dashboard queries) — the resolved example
/// environments (so template-generated items count with their parameters filled in) and every
/// library and environment document as written (so items no example environment selects count
/// too) — and compare them with the catalogue in both directions.
@Suite("Signal catalogue")
struct SignalCatalogueTests {
    static let catalogueURL = PackagePaths.root.appendingPathComponent("catalogue/signals.json")
    static let examples = PackagePaths.root.appendingPathComponent("examples")
    /// The shared reference data next to the repository, when present.
    static let shared = PackagePaths.root.deletingLastPathComponent().appendingPathComponent("shared")

    // MARK: The catalogue

    struct Catalogue: Decodable {
        struct Metric: Decodable {
            var resourceType: String
            var namespace: String
            var metric: String
            var description: String
            var source: String
            var key: MetricKey { MetricKey(resourceType: resourceType, namespace: namespace, metric: metric) }
        }
        struct Table: Decodable {
            var table: String
            var columns: [String: String]
            var description: String
            var source: String
        }
        struct Series: Decodable {
            var name: String
            var type: String
            var exporter: String
            var labels: [String]
            var description: String
            var source: String
        }
        var about: String
        var formatVersion: Int
        var azureMetrics: [Metric]
        var logTables: [Table]
        var prometheusSeries: [Series]
    }

    struct MetricKey: Hashable, Comparable, CustomStringConvertible {
        var resourceType: String
        var namespace: String
        var metric: String
        static func < (a: MetricKey, b: MetricKey) -> Bool {
            (a.resourceType, a.namespace, a.metric) < (b.resourceType, b.namespace, b.metric)
        }
        var description: String { "\(resourceType) · \(namespace) · \(metric)" }
    }

    static func loadCatalogue() throws -> Catalogue {
        try JSONDecoder().decode(Catalogue.self, from: Data(contentsOf: catalogueURL))
    }

    // MARK: What the definitions use

    /// One log query with what it needs from its tables' columns.
    struct LogUse {
        var place: String
        var tables: Set<String>
        var needed: Set<String>
        var assigned: Set<String>
    }

    struct Usage {
        var metrics: [MetricKey: Set<String>] = [:]
        var tables: [String: Set<String>] = [:]
        var series: [String: Set<String>] = [:]
        var recorded: Set<String> = []
        var logs: [LogUse] = []

        mutating func metric(_ criteria: SpecValue?, at place: String) {
            guard let criteria, let type = criteria["resourceType"]?.string, let namespace = criteria["namespace"]?.string,
                let metric = criteria["metric"]?.string, ![type, namespace, metric].contains(where: { $0.contains("${") })
            else { return }
            metrics[MetricKey(resourceType: type, namespace: namespace, metric: metric), default: []].insert(place)
        }

        mutating func table(_ name: String, at place: String) {
            guard !name.contains("${") else { return }
            tables[name, default: []].insert(place)
        }

        mutating func promQL(_ expr: String, at place: String) {
            for name in SignalExtractor.promSeries(expr) { series[name, default: []].insert(place) }
        }

        mutating func log(
            query: String?, tables declared: [String], dimensions: [String], resourceIdColumn: String?,
            measureColumn: String?, at place: String
        ) {
            var all = Set(declared)
            if let query { all.formUnion(SignalExtractor.kqlTables(query)) }
            for name in all { table(name, at: place) }
            guard let query else { return }
            var needed = Set(dimensions).union(SignalExtractor.kqlGroupColumns(query))
            if let resourceIdColumn { needed.insert(resourceIdColumn) }
            if let measureColumn { needed.insert(measureColumn) }
            logs.append(LogUse(place: place, tables: all, needed: needed, assigned: SignalExtractor.kqlAssigned(query)))
        }

        /// The collections of a Baseline, Overlay, Template or an environment's `overrides`, as
        /// written (patches may be partial; placeholders are left alone).
        mutating func collections(_ root: SpecValue?, at path: String) {
            guard let root else { return }
            for alert in root["alerts"]?.fields ?? [] {
                let place = "\(path) alerts.\(alert.key)"
                metric(alert.value["metric"], at: place)
                if let log = alert.value["log"], !log.isNull {
                    self.log(
                        query: log["query"]?.string, tables: (log["tables"]?.list ?? []).compactMap(\.string),
                        dimensions: (log["dimensions"]?.fields ?? []).map(\.key), resourceIdColumn: log["resourceIdColumn"]?.string,
                        measureColumn: log["measureColumn"]?.string, at: place)
                }
                if let expr = alert.value["prometheus"]?["expr"]?.string { promQL(expr, at: place) }
            }
            for rule in root["recordingRules"]?.fields ?? [] {
                if let record = rule.value["record"]?.string { recorded.insert(record) }
                if let expr = rule.value["expr"]?.string { promQL(expr, at: "\(path) recordingRules.\(rule.key)") }
            }
            for item in root["retention"]?.fields ?? [] { table(item.key, at: "\(path) retention") }
            for item in root["collection"]?.fields ?? [] {
                for name in (item.value["tables"]?.list ?? []).compactMap(\.string) {
                    table(name, at: "\(path) collection.\(item.key)")
                }
            }
            for item in root["exports"]?.fields ?? [] {
                for name in (item.value["tables"]?.list ?? []).compactMap(\.string) {
                    table(name, at: "\(path) exports.\(item.key)")
                }
            }
            for dashboard in root["dashboards"]?.fields ?? [] {
                for panel in dashboard.value["panels"]?.fields ?? [] {
                    let place = "\(path) dashboards.\(dashboard.key).panels.\(panel.key)"
                    if let expr = panel.value["query"]?["prometheus"]?.string { promQL(expr, at: place) }
                    if let query = panel.value["query"]?["log"]?.string {
                        log(query: query, tables: [], dimensions: [], resourceIdColumn: nil, measureColumn: nil, at: place)
                    }
                }
            }
        }

        /// A resolved environment: every item in effect, generated ones included.
        mutating func environment(_ env: ResolvedEnvironment) {
            for alert in env.alerts {
                let place = "\(env.name) alert \(alert.id)"
                switch alert.criteria {
                case .metric(let m):
                    metrics[MetricKey(resourceType: m.resourceType, namespace: m.namespace, metric: m.metric), default: []].insert(place)
                case .log(let l):
                    log(
                        query: l.query, tables: l.tables, dimensions: l.dimensions.map(\.name), resourceIdColumn: l.resourceIdColumn,
                        measureColumn: l.measureColumn, at: place)
                case .prometheus(let p):
                    promQL(p.expr, at: place)
                case .activityLog:
                    break
                }
            }
            for rule in env.recordingRules {
                recorded.insert(rule.record)
                promQL(rule.expr, at: "\(env.name) recording rule \(rule.id)")
            }
            for item in env.retention { table(item.table, at: "\(env.name) retention") }
            for source in env.collection {
                for name in source.tables { table(name, at: "\(env.name) collection \(source.id)") }
            }
            for export in env.exports {
                for name in export.tables { table(name, at: "\(env.name) export \(export.id)") }
            }
            // Dashboard queries; SLO panels are built from the SLO's indicator and recording
            // rules, whose signals the SLO's own alerts and rules already count.
            for dashboard in env.dashboards {
                for panel in dashboard.panels where panel.slo == nil {
                    let place = "\(env.name) dashboard \(dashboard.id) panel \(panel.id)"
                    for query in panel.queries {
                        switch query.language {
                        case .prometheus: promQL(query.text, at: place)
                        case .log: log(query: query.text, tables: [], dimensions: [], resourceIdColumn: nil, measureColumn: nil, at: place)
                        }
                    }
                }
            }
        }
    }

    /// Everything the library and the example fleet use.
    static func usage() throws -> Usage {
        var usage = Usage()
        let result = try Compiler().compile(Compiler.Options(root: examples))
        #expect(!result.diagnostics.hasErrors, "the examples must compile: \(result.diagnostics.sorted)")
        for environment in result.environments { usage.environment(environment) }

        var diagnostics = Diagnostics()
        let library = SpecLoader().load(try SourceTree(root: PackagePaths.root).discover(library: .none), diagnostics: &diagnostics)
        let fleet = SpecLoader().load(try SourceTree(root: examples).discover(library: .none), diagnostics: &diagnostics)
        #expect(!diagnostics.hasErrors, "the library and the examples must load: \(diagnostics.sorted)")
        #expect(!library.baselines.isEmpty && !library.templates.isEmpty)
        for document in library.baselines + library.overlays + library.templates {
            usage.collections(document.root, at: document.path)
        }
        for document in fleet.environments { usage.collections(document.root["overrides"], at: document.path) }
        // Recording rules the library defines are not scraped series.
        for name in usage.recorded { usage.series[name] = nil }
        return usage
    }

    static func listing<Key>(_ missing: [(Key, Set<String>)]) -> String {
        missing.map { "  \($0.0)  (used by \($0.1.sorted().prefix(3).joined(separator: "; "))\($0.1.count > 3 ? " …" : ""))" }
            .joined(separator: "\n")
    }

    // MARK: Tests

    @Test("every metric, table and series the library uses is in the catalogue")
    func usedSignalsAreCatalogued() throws {
        let catalogue = try Self.loadCatalogue()
        let usage = try Self.usage()
        #expect(!usage.metrics.isEmpty && !usage.tables.isEmpty && !usage.series.isEmpty)

        let metrics = Set(catalogue.azureMetrics.map(\.key))
        let missingMetrics = usage.metrics.filter { !metrics.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if !missingMetrics.isEmpty {
            Issue.record("Azure metrics missing from catalogue/signals.json (azureMetrics):\n\(Self.listing(missingMetrics))")
        }

        let tables = Dictionary(uniqueKeysWithValues: catalogue.logTables.map { ($0.table, Set($0.columns.keys)) })
        let missingTables = usage.tables.filter { tables[$0.key] == nil }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if !missingTables.isEmpty {
            Issue.record("Log Analytics tables missing from catalogue/signals.json (logTables):\n\(Self.listing(missingTables))")
        }

        let series = Set(catalogue.prometheusSeries.map(\.name))
        let missingSeries = usage.series.filter { !series.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if !missingSeries.isEmpty {
            Issue.record("Prometheus series missing from catalogue/signals.json (prometheusSeries):\n\(Self.listing(missingSeries))")
        }

        // Columns a query groups or splits by must be catalogued for one of its tables (or be
        // computed by the query itself).
        var missingColumns: [String: Set<String>] = [:]
        for log in usage.logs {
            let known = log.tables.reduce(into: log.assigned) { $0.formUnion(tables[$1] ?? []) }
            for column in log.needed.subtracting(known) {
                missingColumns["\(log.tables.sorted().joined(separator: "|")).\(column)", default: []].insert(log.place)
            }
        }
        let columns = missingColumns.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if !columns.isEmpty {
            Issue.record("table columns missing from catalogue/signals.json (logTables[].columns):\n\(Self.listing(columns))")
        }
    }

    @Test("every catalogue entry is used by the library")
    func catalogueHasNoUnusedEntries() throws {
        let catalogue = try Self.loadCatalogue()
        let usage = try Self.usage()
        let unused =
            catalogue.azureMetrics.filter { usage.metrics[$0.key] == nil }.map { "azureMetrics: \($0.key)" }
            + catalogue.logTables.filter { usage.tables[$0.table] == nil }.map { "logTables: \($0.table)" }
            + catalogue.prometheusSeries.filter { usage.series[$0.name] == nil }.map { "prometheusSeries: \($0.name)" }
        if !unused.isEmpty {
            Issue.record("catalogue entries nothing uses any more (remove them):\n  \(unused.joined(separator: "\n  "))")
        }
    }

    @Test("every catalogue entry has a source, and the catalogue is sorted without duplicates")
    func entriesAreSourcedAndSorted() throws {
        let catalogue = try Self.loadCatalogue()
        #expect(catalogue.formatVersion == 1)
        let entries =
            catalogue.azureMetrics.map { ("azureMetrics: \($0.key)", $0.source, $0.description) }
            + catalogue.logTables.map { ("logTables: \($0.table)", $0.source, $0.description) }
            + catalogue.prometheusSeries.map { ("prometheusSeries: \($0.name)", $0.source, $0.description) }
        let form = try NSRegularExpression(pattern: #"^(https://\S+|shared/reference/[^\s#]+(#\S+)?|convention: \S.*)$"#)
        for (entry, source, description) in entries {
            #expect(!source.trimmingCharacters(in: .whitespaces).isEmpty, "\(entry) has no source")
            #expect(
                form.firstMatch(in: source, range: NSRange(source.startIndex..., in: source)) != nil,
                "\(entry): source '\(source)' is not a URL, a shared/reference path or 'convention: …'")
            #expect(!description.isEmpty, "\(entry) has no description")
        }
        for table in catalogue.logTables {
            for (column, meaning) in table.columns {
                #expect(!meaning.isEmpty, "logTables: \(table.table).\(column) has no description")
            }
        }
        let metricKeys = catalogue.azureMetrics.map(\.key)
        #expect(metricKeys == metricKeys.sorted() && Set(metricKeys).count == metricKeys.count, "azureMetrics must be sorted and unique")
        let tables = catalogue.logTables.map(\.table)
        #expect(tables == tables.sorted() && Set(tables).count == tables.count, "logTables must be sorted and unique")
        let series = catalogue.prometheusSeries.map(\.name)
        #expect(series == series.sorted() && Set(series).count == series.count, "prometheusSeries must be sorted and unique")
        for entry in catalogue.prometheusSeries {
            #expect(["counter", "gauge", "histogram"].contains(entry.type), "prometheusSeries: \(entry.name) has type '\(entry.type)'")
        }
    }

    @Test("shared/reference sources exist and name the signal")
    func referenceSourcesResolve() throws {
        guard FileManager.default.fileExists(atPath: Self.shared.appendingPathComponent("reference").path) else { return }
        let catalogue = try Self.loadCatalogue()
        struct AMBAEntry: Decodable {
            var id: String
            var metricNamespace: String?
            var metricName: String?
        }
        func file(_ source: String) -> (url: URL, fragment: String?)? {
            guard source.hasPrefix("shared/reference/") else { return nil }
            let parts = source.split(separator: "#", maxSplits: 1).map(String.init)
            let relative = String(parts[0].dropFirst("shared/".count))
            return (Self.shared.appendingPathComponent(relative), parts.count > 1 ? parts[1] : nil)
        }
        var amba: [String: AMBAEntry]?
        for entry in catalogue.azureMetrics {
            guard let (url, fragment) = file(entry.source) else { continue }
            #expect(FileManager.default.fileExists(atPath: url.path), "\(entry.key): \(url.path) does not exist")
            guard url.lastPathComponent == "expected.json", let fragment else { continue }
            if amba == nil {
                let entries = try JSONDecoder().decode([AMBAEntry].self, from: Data(contentsOf: url))
                amba = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            }
            let found = amba?[fragment]
            #expect(found != nil, "\(entry.key): AMBA alert \(fragment) does not exist")
            if let found {
                #expect(
                    found.metricName == entry.metric && found.metricNamespace?.lowercased() == entry.namespace.lowercased(),
                    "\(entry.key): AMBA alert \(fragment) is about \(found.metricNamespace ?? "?") · \(found.metricName ?? "?")")
            }
        }
        let others = catalogue.logTables.map { ($0.table, $0.source) } + catalogue.prometheusSeries.map { ($0.name, $0.source) }
        for (name, source) in others {
            guard let (url, fragment) = file(source) else { continue }
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                Issue.record("\(name): \(url.path) cannot be read")
                continue
            }
            if url.pathExtension == "md" {
                if let fragment {
                    let heading = text.split(separator: "\n").contains { line in
                        line.hasPrefix("#") && line.drop(while: { $0 == "#" }).hasPrefix(" \(fragment) ")
                    }
                    #expect(heading, "\(name): \(url.lastPathComponent) has no section \(fragment)")
                }
            } else {
                #expect(SignalExtractor.containsWord(text, name), "\(name): \(url.lastPathComponent) does not mention it")
            }
        }
    }

    @Test("the extractors find series, tables and columns")
    func extractors() {
        #expect(
            SignalExtractor.promSeries(
                #"sum by (namespace, pod) (rate(foo_total{code=~"5..", service="${tenant.namespace}-x"}[5m])) / on (pod) group_left(node) bar_info > ${limit} and baz offset 5m unless absent(qux{a="b"}) or vector(0) > 1e9"#)
                == ["foo_total", "bar_info", "baz", "qux"])
        #expect(SignalExtractor.promSeries("histogram_quantile(0.95, sum without (instance) (x:y:rate5m)) > 2") == ["x:y:rate5m"])
        #expect(
            SignalExtractor.kqlTables(
                #"ContainerLogV2 | where LogMessage has "union Foo" | union kind=outer KubeEvents, (Perf | take 1) | join kind=inner (KubePodInventory | project PodUid) on PodUid"#)
                == ["ContainerLogV2", "KubeEvents", "Perf", "KubePodInventory"])
        #expect(SignalExtractor.kqlGroupColumns("T | summarize N = count() by bin(TimeGenerated, 5m), PodNamespace, Db = tostring(x)") == ["TimeGenerated", "PodNamespace"])
        #expect(SignalExtractor.kqlAssigned(#"T | extend A = 1, B = x == "y" | where C == 2 | summarize D = count()"#) == ["A", "B", "D"])
    }
}

/// Finds signal names in PromQL and KQL text, without a full parser: strings, comments, label
/// matchers, ranges and grouping lists are removed first, then the remaining identifiers that
/// are not functions, operators or keywords are series (PromQL) or tables (KQL).
enum SignalExtractor {
    static let promKeywords: Set<String> = [
        // aggregation operators
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio",
        // functions
        "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "avg_over_time", "ceil",
        "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh", "count_over_time", "day_of_month", "day_of_week",
        "day_of_year", "days_in_month", "deg", "delta", "deriv", "double_exponential_smoothing", "exp", "floor",
        "histogram_avg", "histogram_count", "histogram_fraction", "histogram_quantile", "histogram_stddev",
        "histogram_stdvar", "histogram_sum", "holt_winters", "hour", "idelta", "increase", "irate", "label_join",
        "label_replace", "last_over_time", "ln", "log10", "log2", "mad_over_time", "max_over_time", "min_over_time",
        "minute", "month", "pi", "predict_linear", "present_over_time", "quantile_over_time", "rad", "rate", "resets",
        "round", "scalar", "sgn", "sin", "sinh", "sort", "sort_by_label", "sort_by_label_desc", "sort_desc", "sqrt",
        "stddev_over_time", "stdvar_over_time", "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year",
        // binary operators, modifiers and literals
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "start",
        "end", "inf", "nan",
    ]

    static func replacing(_ pattern: String, in text: String, with template: String) -> String {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    static func matches(_ pattern: String, in text: String) -> [[String?]] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (0..<match.numberOfRanges).map { i in Range(match.range(at: i), in: text).map { String(text[$0]) } }
        }
    }

    /// Series names in a PromQL expression, in order of first appearance.
    static func promSeries(_ expr: String) -> [String] {
        var s = replacing(#"\$\{[^}]*\}"#, in: expr, with: "0")
        s = replacing(#""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`"#, in: s, with: "\"\"")
        s = replacing(#"#[^\n]*"#, in: s, with: "")
        s = replacing(#"\{[^{}]*\}"#, in: s, with: "")
        s = replacing(#"\[[^\[\]]*\]"#, in: s, with: "")
        s = replacing(#"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)"#, in: s, with: " ")
        let regex = try! NSRegularExpression(pattern: #"(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*"#)
        var result: [String] = []
        for match in regex.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
            guard let range = Range(match.range, in: s) else { continue }
            let name = String(s[range])
            let rest = s[range.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" }
            if rest.first == "(" || promKeywords.contains(name.lowercased()) || result.contains(name) { continue }
            result.append(name)
        }
        return result
    }

    /// A KQL query without string literals and comments.
    static func strippedKQL(_ query: String) -> String {
        var s = replacing(#"@"[^"]*"|@'[^']*'|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'"#, in: query, with: "\"\"")
        s = replacing(#"//[^\n]*"#, in: s, with: "")
        return s
    }

    /// Tables a KQL query reads: the one it starts with, the operands of `union`, and the right
    /// side of `join` and `lookup`.
    static func kqlTables(_ query: String) -> [String] {
        let s = strippedKQL(query)
        var result: [String] = []
        func add(_ name: String?) {
            guard let name, !["let", "print", "range", "datatable", "union", "externaldata"].contains(name), !result.contains(name)
            else { return }
            result.append(name)
        }
        add(matches(#"^\s*([A-Za-z_][A-Za-z0-9_]*)"#, in: s).first?[1])
        // union [options] T1, (T2 | …), …
        for match in matches(#"\bunion\b((?:\s+[\w.]+\s*=\s*\w+)*)\s*"#, in: s) {
            guard let head = match[0], let start = s.range(of: head)?.upperBound else { continue }
            var rest = s[start...]
            while true {
                rest = rest.drop { $0.isWhitespace }
                if rest.first == "(" {
                    rest = rest.dropFirst().drop { $0.isWhitespace }
                    let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                    add(String(name))
                    var depth = 1
                    while let c = rest.first, depth > 0 {
                        if c == "(" { depth += 1 }
                        if c == ")" { depth -= 1 }
                        rest = rest.dropFirst()
                    }
                } else {
                    let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                    if name.isEmpty { break }
                    add(String(name))
                    rest = rest.dropFirst(name.count)
                }
                rest = rest.drop { $0.isWhitespace }
                guard rest.first == "," else { break }
                rest = rest.dropFirst()
            }
        }
        for match in matches(#"\b(?:join|lookup)\b(?:\s+[\w.]+\s*=\s*\w+)*\s*\(?\s*([A-Za-z_][A-Za-z0-9_]*)"#, in: s) {
            add(match[1])
        }
        return result
    }

    /// Columns a KQL query computes itself (`Name = …` in extend, project, summarize …).
    static func kqlAssigned(_ query: String) -> Set<String> {
        Set(matches(#"(?<![=!<>~])\b([A-Za-z_][A-Za-z0-9_]*)\s*=(?![=~])"#, in: strippedKQL(query)).compactMap { $0[1] })
    }

    /// Plain columns in the `by` clauses of `summarize` (and the column inside `bin(…)`).
    static func kqlGroupColumns(_ query: String) -> [String] {
        var result: [String] = []
        for segment in strippedKQL(query).split(separator: "|") {
            let text = String(segment)
            guard text.range(of: #"^\s*summarize\b"#, options: .regularExpression) != nil,
                let by = text.range(of: #"\bby\b"#, options: [.regularExpression, .backwards])
            else { continue }
            var depth = 0
            var item = ""
            var items: [String] = []
            for c in text[by.upperBound...] {
                if c == "(" { depth += 1 }
                if c == ")" { depth -= 1 }
                if c == "," && depth == 0 {
                    items.append(item)
                    item = ""
                } else {
                    item.append(c)
                }
            }
            items.append(item)
            for raw in items {
                let item = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if item.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil {
                    result.append(item)
                } else if let bin = matches(#"^bin\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)"#, in: item).first?[1] {
                    result.append(bin)
                }
            }
        }
        return result
    }

    /// Whether a text contains a name as a whole word (metric-name characters as word characters).
    static func containsWord(_ text: String, _ word: String) -> Bool {
        let escaped = NSRegularExpression.escapedPattern(for: word)
        return !matches(#"(?<![A-Za-z0-9_:])"# + escaped + #"(?![A-Za-z0-9_:])"#, in: text).isEmpty
    }
}
