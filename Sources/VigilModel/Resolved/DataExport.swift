/// A continuous export of Log Analytics tables to a storage account or Event Hubs namespace (a
/// workspace data export rule), e.g. audit tables to immutable (WORM) storage.
///
/// Stage: produced by `EnvironmentResolver` from the merged `exports` collection, rendered by
/// `DataExportRenderer`.
public struct DataExport: Sendable, Hashable {
    /// The export's id.
    public var id: String
    /// The tables exported, sorted and unique.
    public var tables: [String]
    /// The `azure.resources` key of the destination.
    public var destination: String
    /// Signals this export satisfies, sorted.
    public var covers: [String]
    /// Where its values came from.
    public var provenance: Provenance

    /// Creates an export.
    public init(id: String, tables: [String], destination: String, covers: [String], provenance: Provenance) {
        self.id = id
        self.tables = tables
        self.destination = destination
        self.covers = covers
        self.provenance = provenance
    }
}
