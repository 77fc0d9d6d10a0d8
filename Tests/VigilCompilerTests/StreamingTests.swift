import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

/// The streaming compile (`render` and `check` at fleet scale): each environment is handed on as
/// soon as it is rendered and then dropped; what it hands on must equal the in-memory compile.
@Suite("Streaming compile")
struct StreamingTests {
    static let examples = PackagePaths.root.appendingPathComponent("examples")

    /// Collects what concurrent callbacks hand on.
    final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var outputs: [String: EnvironmentOutput] = [:]
        var calls: [String] = []

        func add(_ environment: Compiler.EnvironmentResult) {
            lock.lock()
            calls.append(environment.name)
            if let output = environment.output { outputs[environment.name] = output }
            lock.unlock()
        }
    }

    @Test("every environment is handed on once, with the folder and diagnostics of the in-memory compile")
    func sameAsInMemory() throws {
        let options = Compiler.Options(root: Self.examples)
        let whole = try Compiler().compile(options)
        let collected = Collected()
        let streamed = try Compiler().compile(options) { environment in
            collected.add(environment)
            return []
        }
        #expect(!whole.diagnostics.hasErrors)
        #expect(streamed.outputs.isEmpty && streamed.environments.isEmpty, "nothing is kept")
        #expect(streamed.environmentCount == whole.outputs.count)
        #expect(collected.calls.sorted() == whole.outputs.map(\.name))
        for output in whole.outputs { #expect(collected.outputs[output.name] == output, "\(output.name)") }
        #expect(streamed.diagnostics.sorted == whole.diagnostics.sorted)
    }

    @Test("what the callback returns joins the diagnostics in environment order; an error it throws is rethrown")
    func callbackDiagnosticsAndErrors() throws {
        let options = Compiler.Options(root: Self.examples)
        let result = try Compiler().compile(options) { environment in
            [Diagnostic("policy/test", severity: .warning, "seen \(environment.name)", at: nil)]
        }
        let seen = result.diagnostics.all.filter { $0.id == "policy/test" }.map(\.message)
        #expect(seen == result.specs!.environments.map { "seen \($0.name.value)" }.sorted())
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            _ = try Compiler().compile(options) { environment in
                if environment.name == "acme-prod" { throw Stop() }
                return []
            }
        }
    }
}
