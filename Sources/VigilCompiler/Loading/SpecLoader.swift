public import VigilModel

/// Turns source files into checked ``SpecDocument``s: YAML reading, then schema checks.
///
/// Stage: loading. Appends diagnostics; never throws.
public struct SpecLoader: Sendable {
    /// The limits applied to every file.
    public var limits: LoaderLimits

    /// Creates a loader.
    /// - Parameter limits: File limits.
    public init(limits: LoaderLimits = .standard) { self.limits = limits }

    /// Loads one file.
    /// - Parameters:
    ///   - file: The file.
    ///   - diagnostics: Where problems go.
    /// - Returns: The document, or nil if it has errors.
    public func load(_ file: SourceFile, diagnostics: inout Diagnostics) -> SpecDocument? {
        let reader = YAMLNodeReader(limits: limits)
        guard let raw = reader.read(file, diagnostics: &diagnostics) else { return nil }
        guard case .mapping(let entries) = raw.content else {
            diagnostics.append(.typeMismatch(expected: "a map with apiVersion and kind", found: raw, field: nil))
            return nil
        }
        guard let kindEntry = entries.first(where: { $0.key == "kind" }),
            case .scalar(let kindText, _) = kindEntry.value.content
        else {
            diagnostics.append(Diagnostic(
                "schema/missing-field", "missing 'kind'", at: raw.span,
                hint: "add 'kind: \(file.kind.kindName)'"))
            return nil
        }
        guard kindText == file.kind.kindName else {
            let known = SourceKind.allCases.map(\.kindName)
            let hint =
                known.contains(kindText)
                ? "a file under this folder must be kind '\(file.kind.kindName)'; move the file or fix 'kind'"
                : Suggestions.hint(for: kindText, in: [file.kind.kindName], listing: "expected")
            diagnostics.append(Diagnostic(
                "schema/kind-mismatch", "kind '\(kindText)' where '\(file.kind.kindName)' was expected",
                at: kindEntry.value.span, hint: hint))
            return nil
        }
        guard let schema = DefinitionsSchema.schema(forKind: kindText) else { return nil }
        var validator = SchemaValidator()
        validator.allowPlaceholders = file.kind == .template
        let mode: SchemaValidator.Mode = .definition
        // Overlays patch every collection; an environment patches through `overrides` and its
        // own `slos` (which may refine a library SLO by id or define a new one).
        let patchKeys: Set<String> = switch file.kind {
        case .overlay: SchemaValidator.collectionKeys.union(["overrides"])
        case .environment: ["overrides", "slos"]
        default: ["overrides"]
        }
        let value = validator.validate(raw, object: schema, mode: mode, context: nil, patchKeys: patchKeys)
        diagnostics.append(contentsOf: validator.diagnostics)
        guard let value, let nameValue = value["name"], let name = nameValue.string else { return nil }
        var document = SpecDocument(path: file.path, kind: file.kind, name: Located(name, at: nameValue.span), root: value)
        if file.kind == .template { document.raw = raw }
        return document
    }

    /// Loads every file and groups the documents by kind, each group sorted by path.
    /// - Parameters:
    ///   - files: The files, in any order.
    ///   - diagnostics: Where problems go.
    /// - Returns: The documents that loaded cleanly.
    public func load(_ files: [SourceFile], diagnostics: inout Diagnostics) -> SpecSet {
        load(files, known: [:], record: false, diagnostics: &diagnostics).set
    }

    /// A file that loaded without a diagnostic: its bytes and its document.
    struct Loaded: Sendable {
        var file: SourceFile
        var document: SpecDocument
    }

    /// Loads files, taking the document of a file from `known` when its path, folder kind and bytes
    /// are equal (loading is a function of those and the limits, so the document would be the
    /// same: the base side of `vigil diff` takes the working tree's); with `record`, also returns
    /// every file that loaded without a diagnostic.
    func load(
        _ files: [SourceFile], known: [String: Loaded], record: Bool, diagnostics: inout Diagnostics
    ) -> (set: SpecSet, loaded: [String: Loaded]) {
        var set = SpecSet()
        var recorded: [String: Loaded] = [:]
        let ordered = files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        // Files parse on every core; documents and diagnostics are taken in path order, so the
        // result is the same as one by one.
        let loaded = parallelMap(ordered) { file in
            if let earlier = known[file.path], earlier.file.kind == file.kind, earlier.file.contents == file.contents {
                return (document: Optional(earlier.document), diagnostics: Diagnostics())
            }
            var fileDiagnostics = Diagnostics()
            let document = load(file, diagnostics: &fileDiagnostics)
            return (document: document, diagnostics: fileDiagnostics)
        }
        for (file, result) in zip(ordered, loaded) {
            if record, let document = result.document, result.diagnostics.all.isEmpty {
                recorded[file.path] = Loaded(file: file, document: document)
            }
            diagnostics.append(contentsOf: result.diagnostics)
            guard let document = result.document else { continue }
            switch file.kind {
            case .config: set.config = document
            case .environment: set.environments.append(document)
            case .baseline: set.baselines.append(document)
            case .overlay: set.overlays.append(document)
            case .template: set.templates.append(document)
            }
        }
        for group in [set.environments, set.baselines, set.overlays, set.templates] {
            var first: [String: SpecDocument] = [:]
            for document in group {
                if let earlier = first[document.name.value] {
                    diagnostics.append(Diagnostic(
                        "merge/duplicate-id", "\(document.kind.kindName) '\(document.name.value)' is defined twice",
                        at: document.name.span, hint: "names are unique within a kind, across the root and the library",
                        notes: [DiagnosticNote("first defined here", at: earlier.name.span)]))
                } else {
                    first[document.name.value] = document
                }
            }
        }
        return (set, recorded)
    }
}
