import ArgumentParser
import Foundation
import Logging

/// Flags every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The root folder: vigil.yaml, environments/, baselines/, overlays/, templates/.", valueName: "dir"))
    var root: String = "."

    @Option(name: .customLong("env"), help: ArgumentHelp("Only this environment (repeatable).", valueName: "name"))
    var environments: [String] = []

    @Flag(name: .long, help: "Treat warnings as errors.")
    var strict = false

    @Flag(name: .long, help: "Log each stage's progress to stderr.")
    var verbose = false

    var logger: Logger {
        var logger = Logger(label: "vigil") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .debug : .warning
        return logger
    }

    /// The root folder, or a usage error (exit 64) when it is not a directory.
    func existingRoot(command: String) throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            Console.error("vigil \(command): error: root folder '\(root)' does not exist")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        return rootURL
    }

    var rootURL: URL {
        URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }
}
