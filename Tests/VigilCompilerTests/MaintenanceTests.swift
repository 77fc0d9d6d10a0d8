import Foundation
import Testing
@testable import VigilCompiler
import VigilModel
import VigilTestSupport

/// A dedicated environment with a database and a cluster; tests append `maintenance:`.
func maintenanceEnvironment(_ maintenance: String) -> String {
    """
    apiVersion: vigil/v1
    kind: Environment
    name: clinic-prod
    tier: dedicated
    stage: production
    region: germanywestcentral
    azure:
      subscriptionId: 00000000-0000-0000-0000-000000000007
      resourceGroup: rg-clinic-prod
      workspace: law-clinic-prod
      resources:
        aks: /subscriptions/00000000-0000-0000-0000-000000000007/resourceGroups/rg-clinic-prod/providers/Microsoft.ContainerService/managedClusters/aks-clinic-prod
        postgresql: /subscriptions/00000000-0000-0000-0000-000000000007/resourceGroups/rg-clinic-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-clinic-prod
    tags: {customer: clinic}

    """ + maintenance
}

@Suite("Maintenance windows")
struct MaintenanceTests {
    /// Compiles one environment file (marked text) with no library; returns the result and the
    /// markers.
    static func compile(_ environment: String) throws -> (Compiler.Result, [SourceSpan]) {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        let marked = MarkedText(environment)
        try tree.write("environments/clinic-prod.yaml", marked.text)
        let result = try Compiler().compile(Compiler.Options(root: tree.url))
        return (result, marked.markers.map { SourceSpan(file: "environments/clinic-prod.yaml", start: $0) })
    }

    /// The resources of `azure/maintenance.json`, by name.
    static func rules(_ result: Compiler.Result) throws -> [String: [String: Any]] {
        let output = try #require(result.outputs.first, "\(result.diagnostics.sorted)")
        let file = try #require(output.files.first { $0.path == "azure/maintenance.json" })
        let template = try #require(try JSONSerialization.jsonObject(with: file.bytes) as? [String: Any])
        var rules: [String: [String: Any]] = [:]
        for resource in try #require(template["resources"] as? [[String: Any]]) {
            rules[try #require(resource["name"] as? String)] = resource
        }
        return rules
    }

    @Test("a weekly window becomes a weekly recurrence on the resource group, days in week order, times with seconds")
    func weekly() throws {
        let (result, _) = try Self.compile(maintenanceEnvironment("""
            maintenance:
              sunday-patching:
                description: Weekly patching of the node images
                timeZone: W. Europe Standard Time
                weekly: {days: [Saturday, Sunday, Saturday], start: "02:00", end: "04:30:15"}

            """))
        let rule = try #require(try Self.rules(result)["clinic-prod-sunday-patching"])
        #expect(rule["type"] as? String == "Microsoft.AlertsManagement/actionRules")
        #expect(rule["apiVersion"] as? String == "2021-08-08")
        #expect(rule["location"] as? String == "Global")
        #expect(rule["tags"] as? [String: String] == ["customer": "clinic", "vigil-environment": "clinic-prod", "vigil-item": "sunday-patching"])
        let properties = try #require(rule["properties"] as? [String: Any])
        #expect(properties["description"] as? String == "Weekly patching of the node images")
        #expect(properties["enabled"] as? Bool == true)
        #expect(properties["scopes"] as? [String] == ["/subscriptions/00000000-0000-0000-0000-000000000007/resourceGroups/rg-clinic-prod"])
        #expect(properties["conditions"] == nil)
        #expect(properties["actions"] as? [[String: String]] == [["actionType": "RemoveAllActionGroups"]])
        let schedule = try #require(properties["schedule"] as? [String: Any])
        #expect(schedule["timeZone"] as? String == "W. Europe Standard Time")
        #expect(schedule["effectiveFrom"] == nil && schedule["effectiveUntil"] == nil)
        let recurrence = try #require((schedule["recurrences"] as? [[String: Any]])?.first)
        #expect(recurrence["recurrenceType"] as? String == "Weekly")
        #expect(recurrence["daysOfWeek"] as? [String] == ["Sunday", "Saturday"])
        #expect(recurrence["startTime"] as? String == "02:00:00")
        #expect(recurrence["endTime"] as? String == "04:30:15")
    }

    @Test("a one-off window sets effectiveFrom and effectiveUntil; severities become a condition; resources become the scopes")
    func once() throws {
        let (result, _) = try Self.compile(maintenanceEnvironment("""
            maintenance:
              postgresql-upgrade:
                timeZone: UTC
                once: {start: 2027-02-28T22:00, end: 2027-03-01T04:00:30}
                severities: [4, 1, 2]
                resources: [postgresql]

            """))
        let rule = try #require(try Self.rules(result)["clinic-prod-postgresql-upgrade"])
        let properties = try #require(rule["properties"] as? [String: Any])
        #expect(properties["description"] as? String == "Maintenance window 'postgresql-upgrade' of clinic-prod: alerts notify no action group")
        #expect(properties["scopes"] as? [String] == [
            "/subscriptions/00000000-0000-0000-0000-000000000007/resourceGroups/rg-clinic-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-clinic-prod"
        ])
        let conditions = try #require(properties["conditions"] as? [[String: Any]])
        #expect(conditions.count == 1)
        #expect(conditions[0]["field"] as? String == "Severity")
        #expect(conditions[0]["operator"] as? String == "Equals")
        #expect(conditions[0]["values"] as? [String] == ["Sev1", "Sev2", "Sev4"])
        let schedule = try #require(properties["schedule"] as? [String: Any])
        #expect(schedule["effectiveFrom"] as? String == "2027-02-28T22:00:00")
        #expect(schedule["effectiveUntil"] as? String == "2027-03-01T04:00:30")
        #expect(schedule["timeZone"] as? String == "UTC")
        #expect(schedule["recurrences"] == nil)
    }

    @Test("without windows there is no maintenance.json")
    func none() throws {
        let (result, _) = try Self.compile(maintenanceEnvironment(""))
        let output = try #require(result.outputs.first)
        #expect(!output.files.contains { $0.path == "azure/maintenance.json" })
    }

    @Test("windows reach the model digest and the resolved model with their field locations")
    func model() throws {
        let (result, markers) = try Self.compile(maintenanceEnvironment("""
            maintenance:
              ↓nightly:
                timeZone: ↓UTC
                weekly: {days: [Monday], start: "01:00", end: ↓"02:00"}

            """))
        let environment = try #require(result.environments.first)
        let window = try #require(environment.maintenanceWindows.first)
        #expect(window.schedule == .weekly(days: ["Monday"], start: "01:00", end: "02:00"))
        #expect(window.provenance.definedAt == markers[0])
        #expect(window.provenance.fields["timeZone"] == markers[1])
        #expect(window.provenance.fields["weekly.end"] == markers[2])
        guard case .object(let model) = ModelEncoder.encode(environment) else {
            Issue.record("the model is an object")
            return
        }
        #expect(model["maintenanceWindows"] != nil)
    }

    /// Bad windows: the marked text, the rule id and part of the message or hint.
    static let invalid: [(name: String, yaml: String, id: String, text: String)] = [
        (
            "an unknown time zone, with the closest name",
            "    timeZone: ↓W. Europe Standart Time\n    weekly: {days: [Sunday], start: \"02:00\", end: \"04:00\"}\n",
            "schema/invalid-value", "did you mean 'W. Europe Standard Time'?"
        ),
        (
            "an IANA zone name",
            "    timeZone: ↓Europe/Berlin\n    weekly: {days: [Sunday], start: \"02:00\", end: \"04:00\"}\n",
            "schema/invalid-value", "'Europe/Berlin' is not a valid value"
        ),
        (
            "a misspelt day",
            "    timeZone: UTC\n    weekly: {days: [↓Sundy], start: \"02:00\", end: \"04:00\"}\n",
            "schema/invalid-value", "did you mean 'Sunday'?"
        ),
        (
            "an hour past 23",
            "    timeZone: UTC\n    weekly: {days: [Sunday], start: ↓\"24:00\", end: \"23:00\"}\n",
            "schema/invalid-value", "a time HH:MM or HH:MM:SS"
        ),
        (
            "a weekly window that ends before it starts",
            "    timeZone: UTC\n    weekly: {days: [Sunday], start: \"22:00\", end: ↓\"02:00\"}\n",
            "render/maintenance-schedule", "ends at 02:00, not after it starts at 22:00"
        ),
        (
            "a weekly window without days",
            "    timeZone: UTC\n    weekly: {days: ↓[], start: \"02:00\", end: \"04:00\"}\n",
            "render/maintenance-schedule", "repeats on no day"
        ),
        (
            "a one-off window that ends when it starts",
            "    timeZone: UTC\n    once: {start: 2027-01-16T22:00, end: ↓2027-01-16T22:00:00}\n",
            "render/maintenance-schedule", "not after it starts"
        ),
        (
            "a date that does not exist",
            "    timeZone: UTC\n    once: {start: ↓2027-02-29T22:00, end: 2027-03-01T02:00}\n",
            "render/maintenance-schedule", "'2027-02-29T22:00' is not a date of the calendar"
        ),
        (
            "a date without time",
            "    timeZone: UTC\n    once: {start: ↓2027-01-16, end: 2027-01-17T02:00}\n",
            "schema/invalid-value", "a local date-time"
        ),
        (
            "an unknown resource key",
            "    timeZone: UTC\n    weekly: {days: [Sunday], start: \"02:00\", end: \"04:00\"}\n    resources: [aks, ↓postgres]\n",
            "render/unknown-resource", "did you mean 'postgresql'?"
        ),
        (
            "a severity out of range",
            "    timeZone: UTC\n    weekly: {days: [Sunday], start: \"02:00\", end: \"04:00\"}\n    severities: [↓5]\n",
            "schema/invalid-value", "5"
        ),
    ]

    @Test("bad windows are reported at the marked place", arguments: 0..<invalid.count)
    func diagnostics(_ index: Int) throws {
        let (name, yaml, id, text) = Self.invalid[index]
        let (result, markers) = try Self.compile(maintenanceEnvironment("maintenance:\n  window:\n" + yaml))
        let found = result.diagnostics.sorted.filter { $0.id.rawValue == id }
        #expect(found.count == 1, "\(name): \(result.diagnostics.sorted)")
        #expect(found.first?.location == markers.first, "\(name): \(found)")
        #expect(found.contains { $0.message.contains(text) || ($0.hint ?? "").contains(text) }, "\(name): \(found)")
        #expect(result.outputs.isEmpty, "\(name): nothing is written")
    }

    @Test("a window with both schedules, or neither, is refused")
    func exclusive() throws {
        for schedule in ["    once: {start: 2027-01-16T22:00, end: 2027-01-17T02:00}\n    weekly: {days: [Sunday], start: \"02:00\", end: \"04:00\"}\n", ""] {
            let (result, _) = try Self.compile(maintenanceEnvironment("maintenance:\n  window:\n    timeZone: UTC\n" + schedule))
            #expect(result.diagnostics.sorted.contains { $0.id == "schema/exclusive-fields" }, "\(result.diagnostics.sorted)")
        }
    }

    @Test("the time-zone list is sorted and unique; calendar dates know leap years")
    func tables() {
        #expect(MaintenanceWindow.timeZones == MaintenanceWindow.timeZones.sorted())
        #expect(Set(MaintenanceWindow.timeZones).count == MaintenanceWindow.timeZones.count)
        #expect(MaintenanceRenderer.isCalendarDate("2028-02-29T00:00"))
        #expect(!MaintenanceRenderer.isCalendarDate("2100-02-29T00:00"))
        #expect(MaintenanceRenderer.isCalendarDate("2000-02-29T00:00"))
        #expect(!MaintenanceRenderer.isCalendarDate("2027-04-31T00:00"))
        #expect(!MaintenanceRenderer.isCalendarDate("2027-13-01T00:00"))
    }
}
