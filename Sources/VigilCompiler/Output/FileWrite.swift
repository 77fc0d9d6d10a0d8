import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// Writes a folder of files with plain system calls: one `mkdir` per folder and one
/// `open`/`write`/`close` per file, no Foundation file objects on the hot path.
///
/// Stage: output. Used by ``OutputWriter/Staging`` for the `.vigil-new-<env>` folders.
enum FileWrite {
    /// An I/O failure with the path and the system's message.
    struct Failure: Error, CustomStringConvertible {
        var path: String
        var message: String
        var description: String { "\(path): \(message)" }
    }

    /// Creates `folder` (which must not exist; its parent must) and writes `files` below it.
    /// - Parameters:
    ///   - folder: The folder to create.
    ///   - files: The files, by path relative to the folder.
    /// - Throws: ``Failure``.
    static func folder(_ folder: URL, files: [RenderedFile]) throws {
        let base = folder.path
        try makeDirectory(base)
        var made: Set<String> = [""]
        for file in files {
            var parent = ""
            for component in file.path.split(separator: "/").dropLast() {
                parent = parent.isEmpty ? String(component) : parent + "/" + component
                if made.insert(parent).inserted { try makeDirectory(base + "/" + parent) }
            }
            try write(file.bytes, to: base + "/" + file.path)
        }
    }

    static func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw failure(path) }
    }

    static func write(_ bytes: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path) }
        defer { close(descriptor) }
        try bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure(path)
                }
                offset += written
            }
        }
    }

    static func failure(_ path: String) -> Failure {
        Failure(path: path, message: String(cString: strerror(errno)))
    }
}
