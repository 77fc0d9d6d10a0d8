import Foundation
public import VigilModel

/// Renders the environment's maintenance windows into `azure/maintenance.json`: one alert
/// processing rule (`Microsoft.AlertsManagement/actionRules` 2021-08-08, location `Global`) per
/// window, with `actionType: RemoveAllActionGroups`, so alerts still fire and are recorded while
/// the window is open but notify no one.
///
/// Stage: render. A rule is scoped to the environment's resource group, or to the resource ids of
/// the window's `resources` keys; `severities` become a `Severity` condition. Weekly windows are
/// one `Weekly` recurrence; one-off windows set `effectiveFrom` and `effectiveUntil`. Times are
/// local to the window's Windows time zone. Resources are sorted by name; nothing is rendered when
/// the environment declares no window. Alertmanager (in-cluster Prometheus) is not silenced.
public struct MaintenanceRenderer: ArtifactRenderer {
    /// `azure`.
    public static let target = "azure"
    /// The alert processing rule API version.
    public static let apiVersion = "2021-08-08"

    /// Creates the renderer.
    public init() {}

    /// Renders the windows, or nothing when there are none.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        guard !environment.maintenanceWindows.isEmpty else { return [] }
        var resources: [CanonicalValue] = []
        for window in environment.maintenanceWindows {
            if let resource = rule(window, environment: environment, diagnostics: &diagnostics) { resources.append(resource) }
        }
        resources.sort { ARMTemplateRenderer.sortKey($0).lexicographicallyPrecedes(ARMTemplateRenderer.sortKey($1)) }
        return [
            ArtifactDocument(
                path: "azure/maintenance.json",
                value: .fields([
                    "$schema": .string(ARMTemplateRenderer.templateSchema), "contentVersion": .string("1.0.0.0"),
                    "resources": .array(resources),
                ]),
                format: .json)
        ]
    }

    func rule(_ window: MaintenanceWindow, environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> CanonicalValue? {
        let at = { (path: String) in window.provenance.location(of: path) ?? window.provenance.definedAt }
        var ok = true
        func invalid(_ message: String, _ path: String, hint: String) {
            diagnostics.append(Diagnostic("render/maintenance-schedule", message, at: at(path), hint: hint))
            ok = false
        }
        var schedule: CanonicalObject = ["timeZone": .string(window.timeZone)]
        switch window.schedule {
        case .weekly(let days, let start, let end):
            if days.isEmpty {
                invalid("maintenance window '\(window.id)' repeats on no day", "weekly.days", hint: "list the days, e.g. [Sunday]")
            }
            let from = Self.clock(start), until = Self.clock(end)
            if from >= until {
                invalid(
                    "maintenance window '\(window.id)' ends at \(end), not after it starts at \(start)", "weekly.end",
                    hint: "a window that runs past midnight is two windows: one until 23:59:59, one from 00:00 the next day")
            }
            schedule["recurrences"] = .array([
                .fields([
                    "recurrenceType": .string("Weekly"), "daysOfWeek": .array(days.map { .string($0) }),
                    "startTime": .string(Self.seconds(start)), "endTime": .string(Self.seconds(end)),
                ])
            ])
        case .once(let start, let end):
            for (value, path) in [(start, "once.start"), (end, "once.end")] where !Self.isCalendarDate(value) {
                invalid("'\(value)' is not a date of the calendar", path, hint: "write an existing date, e.g. 2026-03-29T02:00")
            }
            if Self.seconds(start) >= Self.seconds(end) {
                invalid(
                    "maintenance window '\(window.id)' ends at \(end), not after it starts at \(start)", "once.end",
                    hint: "the end must be later than the start")
            }
            schedule["effectiveFrom"] = .string(Self.seconds(start))
            schedule["effectiveUntil"] = .string(Self.seconds(end))
        }
        var scopes: [String] = []
        for key in window.resources {
            guard let ids = environment.azure.resources[key], !ids.isEmpty else {
                let element = window.provenance.merged?["resources"]?.list?.first { $0.string == key }
                diagnostics.append(Diagnostic(
                    "render/unknown-resource",
                    "maintenance window '\(window.id)' silences resource '\(key)', which environment '\(environment.name)' does not define",
                    at: element?.span ?? at("resources"),
                    hint: Suggestions.hint(for: key, in: Array(environment.azure.resources.keys), listing: "defined resources"),
                    notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
                ok = false
                continue
            }
            scopes += ids
        }
        guard ok else { return nil }
        if scopes.isEmpty {
            scopes = ["/subscriptions/\(environment.azure.subscriptionId)/resourceGroups/\(environment.azure.resourceGroup)"]
        }
        var conditions: [CanonicalValue] = []
        if !window.severities.isEmpty {
            conditions.append(.fields([
                "field": .string("Severity"), "operator": .string("Equals"),
                "values": .array(window.severities.map { .string("Sev\($0)") }),
            ]))
        }
        var tags = environment.tags
        tags["vigil-environment"] = environment.name
        tags["vigil-item"] = window.id
        return .fields([
            "type": .string("Microsoft.AlertsManagement/actionRules"),
            "apiVersion": .string(Self.apiVersion),
            "name": .string("\(environment.name)-\(window.id)"),
            "location": .string("Global"),
            "tags": .strings(tags),
            "properties": .fields([
                "description": .string(
                    window.description ?? "Maintenance window '\(window.id)' of \(environment.name): alerts notify no action group"),
                "enabled": .bool(true),
                "scopes": .array(Array(Set(scopes)).sorted().map { .string($0) }),
                "conditions": conditions.isEmpty ? nil : .array(conditions),
                "actions": .array([.fields(["actionType": .string("RemoveAllActionGroups")])]),
                "schedule": .object(schedule),
            ]),
        ])
    }

    /// `HH:MM` → `HH:MM:00`; `…THH:MM` → `…THH:MM:00`; values with seconds unchanged.
    static func seconds(_ time: String) -> String {
        let clock = time.split(separator: "T").last.map(String.init) ?? time
        return clock.split(separator: ":").count == 2 ? time + ":00" : time
    }

    /// Seconds since midnight of a schema-checked `HH:MM[:SS]`.
    static func clock(_ time: String) -> Int {
        let parts = seconds(time).split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3 else { return 0 }
        return parts[0] * 3600 + parts[1] * 60 + parts[2]
    }

    /// Whether the date part of a schema-checked `YYYY-MM-DDTHH:MM[:SS]` exists (month 1–12, the
    /// day within the month, 29 February only in leap years).
    static func isCalendarDate(_ value: String) -> Bool {
        let date = value.split(separator: "T").first.map(String.init) ?? value
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return false }
        let (year, month, day) = (parts[0], parts[1], parts[2])
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...lengths[month - 1]).contains(day)
    }
}
