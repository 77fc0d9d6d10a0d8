import Foundation

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
/// shipped library, `library:/baselines/data/postgresql.yaml`. The path is held as an interned
/// ``SourceFileName``, so copying a span (every value, field and provenance record carries some)
/// copies no string and costs no reference counting.
public struct SourceSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The file, interned.
    public var fileName: SourceFileName
    /// Where the span starts.
    public var start: SourceLocation

    /// The display path of the file.
    public var file: String {
        get { fileName.path }
        set { fileName = SourceFileName(newValue) }
    }

    /// Creates a span.
    /// - Parameters:
    ///   - file: The display path.
    ///   - start: The 1-based start position.
    public init(file: String, start: SourceLocation) {
        self.init(fileName: SourceFileName(file), start: start)
    }

    /// Creates a span in an interned file (readers intern a file's path once).
    /// - Parameters:
    ///   - fileName: The file.
    ///   - start: The 1-based start position.
    public init(fileName: SourceFileName, start: SourceLocation) {
        self.fileName = fileName
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
        if lhs.fileName != rhs.fileName { return lhs.file.utf8.lexicographicallyPrecedes(rhs.file.utf8) }
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

/// A display path, interned: equal paths get equal names, for the life of the process.
///
/// The table only grows (one entry per distinct input path), so a name's path never changes;
/// names are never written anywhere, only their paths.
public struct SourceFileName: Hashable, Sendable, CustomStringConvertible {
    let index: Int32

    /// The interned name of a path.
    /// - Parameter path: The display path.
    public init(_ path: String) { index = Table.shared.index(of: path) }

    /// The display path.
    public var path: String { Table.shared.path(at: index) }

    /// The display path.
    public var description: String { path }

    final class Table: @unchecked Sendable {
        static let shared = Table()
        private let lock = NSLock()
        private var paths: [String] = []
        private var indices: [String: Int32] = [:]

        func index(of path: String) -> Int32 {
            lock.lock()
            defer { lock.unlock() }
            if let index = indices[path] { return index }
            let index = Int32(paths.count)
            paths.append(path)
            indices[path] = index
            return index
        }

        func path(at index: Int32) -> String {
            lock.lock()
            defer { lock.unlock() }
            return paths[Int(index)]
        }
    }
}
