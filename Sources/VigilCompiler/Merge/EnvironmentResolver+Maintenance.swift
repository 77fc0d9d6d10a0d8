import VigilModel

/// Decoding of data exports (a merged collection) and maintenance windows (the environment's own
/// `maintenance:` map); both are schema-checked already.
extension EnvironmentResolver {
    /// The selected `exports` items as ``DataExport``s, sorted by id.
    static func exports(_ items: [MergedItem]) -> [DataExport] {
        items.map { item in
            DataExport(
                id: item.id, tables: Array(Set((item.value["tables"]?.list ?? []).compactMap(\.string))).sorted(),
                destination: item.value["destination"]?.string ?? "",
                covers: Array(Set((item.value["covers"]?.list ?? []).compactMap(\.string))).sorted(),
                provenance: item.provenance)
        }.sorted { $0.id < $1.id }
    }

    /// The environment's maintenance windows, sorted by id. Each keeps the spans of its fields
    /// (`weekly.start`, `once.end`, `resources` …) for the renderer's diagnostics.
    static func maintenanceWindows(_ value: SpecValue?) -> [MaintenanceWindow] {
        (value?.fields ?? []).compactMap { field -> MaintenanceWindow? in
            let v = field.value
            let schedule: MaintenanceWindow.Schedule
            if let weekly = v["weekly"], !weekly.isNull {
                let days = Set((weekly["days"]?.list ?? []).compactMap(\.string))
                schedule = .weekly(
                    days: MaintenanceWindow.days.filter(days.contains), start: weekly["start"]?.string ?? "",
                    end: weekly["end"]?.string ?? "")
            } else if let once = v["once"], !once.isNull {
                schedule = .once(start: once["start"]?.string ?? "", end: once["end"]?.string ?? "")
            } else {
                return nil
            }
            return MaintenanceWindow(
                id: field.key, description: v["description"]?.string, timeZone: v["timeZone"]?.string ?? "UTC",
                schedule: schedule, severities: Array(Set((v["severities"]?.list ?? []).compactMap(\.int))).sorted(),
                resources: Array(Set((v["resources"]?.list ?? []).compactMap(\.string))).sorted(),
                provenance: Provenance(definedAt: field.keySpan, merged: v))
        }.sorted { $0.id < $1.id }
    }
}
