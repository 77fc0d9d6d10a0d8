public import Foundation

/// Runs git in a fixture folder with a fixed identity and no signing, for tests that need a
/// repository (`vigil diff --base`).
public enum GitRepository {
    /// What went wrong.
    public struct Failure: Error, CustomStringConvertible {
        /// The command and its status.
        public var description: String
    }

    /// Runs `git -C folder …` and returns its standard output.
    /// - Throws: ``Failure`` when git exits non-zero.
    @discardableResult
    public static func run(_ arguments: [String], in folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path, "-c", "user.name=Vigil Test", "-c", "user.email=test@example.com",
            "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "git \(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Initialises a repository in the folder and commits everything in it.
    public static func commitAll(in folder: URL, message: String = "fixture") throws {
        try run(["init", "-q"], in: folder)
        try run(["add", "-A"], in: folder)
        try run(["commit", "-q", "-m", message], in: folder)
    }
}
