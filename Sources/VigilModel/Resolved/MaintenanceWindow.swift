/// A planned maintenance window of an environment: while it is open, Azure Monitor still records
/// alerts but notifies no action group (an alert processing rule with `RemoveAllActionGroups`).
///
/// Stage: produced by `EnvironmentResolver` from the environment's `maintenance:` map, rendered
/// by `MaintenanceRenderer`. Times are local to ``timeZone`` and kept as written (checked by the
/// schema's patterns; the renderer checks calendar validity and order).
public struct MaintenanceWindow: Sendable, Hashable {
    /// When the window is open.
    public enum Schedule: Sendable, Hashable {
        /// Every week on these days (sorted Sunday first), from `start` to `end` (`HH:MM` or
        /// `HH:MM:SS`) on each of them.
        case weekly(days: [String], start: String, end: String)
        /// Once, from `start` to `end` (`YYYY-MM-DDTHH:MM[:SS]`).
        case once(start: String, end: String)
    }

    /// The window's id (its key under `maintenance:`).
    public var id: String
    /// What is maintained, for the rule's description.
    public var description: String?
    /// A Windows time-zone name, one of ``timeZones``.
    public var timeZone: String
    /// When it is open.
    public var schedule: Schedule
    /// Azure severities (0–4) the window silences, sorted; empty: every severity.
    public var severities: [Int]
    /// `azure.resources` keys whose alerts the window silences, sorted; empty: every alert in the
    /// environment's resource group.
    public var resources: [String]
    /// Where it was written (fields by path: `weekly.start`, `once.end`, `timeZone` …).
    public var provenance: Provenance

    /// Creates a window.
    public init(
        id: String, description: String?, timeZone: String, schedule: Schedule, severities: [Int], resources: [String],
        provenance: Provenance
    ) {
        self.id = id
        self.description = description
        self.timeZone = timeZone
        self.schedule = schedule
        self.severities = severities
        self.resources = resources
        self.provenance = provenance
    }

    /// The days of the week, in Azure's spelling and order.
    public static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Windows time-zone ids (the names Azure's alert processing rules, autoscale and maintenance
    /// configurations take, e.g. `W. Europe Standard Time`), sorted.
    public static let timeZones = [
        "AUS Central Standard Time", "AUS Eastern Standard Time", "Afghanistan Standard Time", "Alaskan Standard Time",
        "Aleutian Standard Time", "Altai Standard Time", "Arab Standard Time", "Arabian Standard Time",
        "Arabic Standard Time", "Argentina Standard Time", "Astrakhan Standard Time", "Atlantic Standard Time",
        "Aus Central W. Standard Time", "Azerbaijan Standard Time", "Azores Standard Time", "Bahia Standard Time",
        "Bangladesh Standard Time", "Belarus Standard Time", "Bougainville Standard Time", "Canada Central Standard Time",
        "Cape Verde Standard Time", "Caucasus Standard Time", "Cen. Australia Standard Time",
        "Central America Standard Time", "Central Asia Standard Time", "Central Brazilian Standard Time",
        "Central Europe Standard Time", "Central European Standard Time", "Central Pacific Standard Time",
        "Central Standard Time", "Central Standard Time (Mexico)", "Chatham Islands Standard Time",
        "China Standard Time", "Cuba Standard Time", "Dateline Standard Time", "E. Africa Standard Time",
        "E. Australia Standard Time", "E. Europe Standard Time", "E. South America Standard Time",
        "Easter Island Standard Time", "Eastern Standard Time", "Eastern Standard Time (Mexico)",
        "Egypt Standard Time", "Ekaterinburg Standard Time", "FLE Standard Time", "Fiji Standard Time",
        "GMT Standard Time", "GTB Standard Time", "Georgian Standard Time", "Greenland Standard Time",
        "Greenwich Standard Time", "Haiti Standard Time", "Hawaiian Standard Time", "India Standard Time",
        "Iran Standard Time", "Israel Standard Time", "Jordan Standard Time", "Kaliningrad Standard Time",
        "Kamchatka Standard Time", "Korea Standard Time", "Libya Standard Time", "Line Islands Standard Time",
        "Lord Howe Standard Time", "Magadan Standard Time", "Magallanes Standard Time", "Marquesas Standard Time",
        "Mauritius Standard Time", "Middle East Standard Time", "Montevideo Standard Time", "Morocco Standard Time",
        "Mountain Standard Time", "Mountain Standard Time (Mexico)", "Myanmar Standard Time",
        "N. Central Asia Standard Time", "Namibia Standard Time", "Nepal Standard Time", "New Zealand Standard Time",
        "Newfoundland Standard Time", "Norfolk Standard Time", "North Asia East Standard Time",
        "North Asia Standard Time", "North Korea Standard Time", "Omsk Standard Time", "Pacific SA Standard Time",
        "Pacific Standard Time", "Pacific Standard Time (Mexico)", "Pakistan Standard Time", "Paraguay Standard Time",
        "Qyzylorda Standard Time", "Romance Standard Time", "Russia Time Zone 10", "Russia Time Zone 11",
        "Russia Time Zone 3", "Russian Standard Time", "SA Eastern Standard Time", "SA Pacific Standard Time",
        "SA Western Standard Time", "SE Asia Standard Time", "Saint Pierre Standard Time", "Sakhalin Standard Time",
        "Samoa Standard Time", "Sao Tome Standard Time", "Saratov Standard Time", "Singapore Standard Time",
        "South Africa Standard Time", "South Sudan Standard Time", "Sri Lanka Standard Time", "Sudan Standard Time",
        "Syria Standard Time", "Taipei Standard Time", "Tasmania Standard Time", "Tocantins Standard Time",
        "Tokyo Standard Time", "Tomsk Standard Time", "Tonga Standard Time", "Transbaikal Standard Time",
        "Turkey Standard Time", "Turks And Caicos Standard Time", "US Eastern Standard Time",
        "US Mountain Standard Time", "UTC", "UTC+12", "UTC+13", "UTC-02", "UTC-08", "UTC-09", "UTC-11",
        "Ulaanbaatar Standard Time", "Venezuela Standard Time", "Vladivostok Standard Time",
        "Volgograd Standard Time", "W. Australia Standard Time", "W. Central Africa Standard Time",
        "W. Europe Standard Time", "W. Mongolia Standard Time", "West Asia Standard Time", "West Bank Standard Time",
        "West Pacific Standard Time", "Yakutsk Standard Time", "Yukon Standard Time",
    ]
}
