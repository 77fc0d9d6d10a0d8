import Foundation
import VigilModel

/// Decodes merged `monitors` items (already schema-checked) into ``ScrapeMonitor``s.
///
/// Stage: merge. Defaults: `path` `/metrics`, `interval` 30s; an absent `namespace` means every
/// namespace.
enum MonitorDecoder {
    /// The scrape interval when a monitor sets none.
    static let defaultInterval = Duration(seconds: 30)

    static func decode(_ item: MergedItem) -> ScrapeMonitor? {
        let v = item.value
        guard let kind = v["kind"]?.string.flatMap(ScrapeMonitor.Kind.init(rawValue:)), let port = v["port"]?.string else {
            return nil
        }
        func strings(_ value: SpecValue?) -> [String: String] {
            var result: [String: String] = [:]
            for field in value?.fields ?? [] { result[field.key] = field.value.string }
            return result
        }
        let namespace = v["namespace"]
        let namespaces = (namespace?.list ?? (namespace.map { [$0] } ?? [])).compactMap(\.string)
        return ScrapeMonitor(
            id: item.id, kind: kind, namespaces: Array(Set(namespaces)).sorted(), selector: strings(v["selector"]), port: port,
            path: v["path"]?.string ?? "/metrics", interval: v["interval"]?.string.flatMap(Duration.parse) ?? defaultInterval,
            scheme: v["scheme"]?.string, honorLabels: v["honorLabels"]?.bool ?? false, labels: strings(v["labels"]),
            metrics: Array(Set((v["metrics"]?.list ?? []).compactMap(\.string))).sorted(),
            covers: Array(Set((v["covers"]?.list ?? []).compactMap(\.string))).sorted(), provenance: item.provenance)
    }
}
