public import VigilModel

/// Inline YAML with `↓` markers: the marker is removed and its line and column remembered, so
/// tests never count lines by hand (the swift-format `FindingSpec` idea).
public struct MarkedText: Sendable {
    /// The text without markers.
    public let text: String
    /// The 1-based location of each marker, in order.
    public let markers: [SourceLocation]

    /// Parses marked text.
    /// - Parameter marked: Text with `↓` markers.
    public init(_ marked: String) {
        var text = ""
        var markers: [SourceLocation] = []
        var line = 1
        var column = 1
        for scalar in marked.unicodeScalars {
            if scalar == "↓" {
                markers.append(SourceLocation(line: line, column: column))
                continue
            }
            text.unicodeScalars.append(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        self.text = text
        self.markers = markers
    }

    /// The single marker's location.
    public var marker: SourceLocation {
        precondition(markers.count == 1, "expected exactly one ↓ marker, found \(markers.count)")
        return markers[0]
    }
}
