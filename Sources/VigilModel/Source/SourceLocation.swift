/// A 1-based position in a source file: line and column (columns count Unicode scalars).
///
/// Stage: shared by every stage. Produced by the loader from YAML marks.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column number, counted in Unicode scalars.
    public var column: Int

    /// Creates a location.
    /// - Parameters:
    ///   - line: 1-based line.
    ///   - column: 1-based column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Orders by line, then column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// A place in one input file: the file's display path and a 1-based start position.
///
/// Display paths are relative to the root (`environments/acme-prod.yaml`) or, for files of the
/// shipped library, `library:/baselines/data/postgresql.yaml`.
public struct SourceSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The display path of the file.
    public var file: String
    /// Where the span starts.
    public var start: SourceLocation

    /// Creates a span.
    /// - Parameters:
    ///   - file: The display path.
    ///   - start: The 1-based start position.
    public init(file: String, start: SourceLocation) {
        self.file = file
        self.start = start
    }

    /// Creates a span from a line and column.
    /// - Parameters:
    ///   - file: The display path.
    ///   - line: 1-based line.
    ///   - column: 1-based column.
    public init(file: String, line: Int, column: Int) {
        self.init(file: file, start: SourceLocation(line: line, column: column))
    }

    /// A span that names a whole file (line 1, column 1).
    /// - Parameter file: The display path.
    /// - Returns: The span at the start of the file.
    public static func file(_ file: String) -> SourceSpan {
        SourceSpan(file: file, line: 1, column: 1)
    }

    /// Orders by file path (UTF-8 bytes), then position.
    public static func < (lhs: SourceSpan, rhs: SourceSpan) -> Bool {
        if lhs.file != rhs.file { return lhs.file.utf8.lexicographicallyPrecedes(rhs.file.utf8) }
        return lhs.start < rhs.start
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(start.line):\(start.column)" }
}

/// A value together with the place it was written.
public struct Located<Value: Sendable>: Sendable {
    /// The value.
    public var value: Value
    /// Where it was written.
    public var span: SourceSpan

    /// Creates a located value.
    /// - Parameters:
    ///   - value: The value.
    ///   - span: Where it was written.
    public init(_ value: Value, at span: SourceSpan) {
        self.value = value
        self.span = span
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
