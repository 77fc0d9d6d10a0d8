public import Foundation
public import VigilCompiler

/// Checks a JSON document against the subset of JSON Schema (draft 2020-12) that Vigil's own
/// report schemas use (`docs/schemas/*.schema.json`): `type` (a name or a list of names),
/// `enum`, `required`, `properties`, `additionalProperties: false`, `items`, `minimum` and `$ref`
/// to `#/$defs/…`. Annotations (`$schema`, `$id`, `title`, `description`, `$defs`) are ignored;
/// any other keyword is reported, so a schema cannot quietly use something this checker does not
/// enforce. `.ci/run` also validates real output with the full `jsonschema` implementation.
public struct JSONSchemaCheck: Sendable {
    /// The whole schema, for resolving `$ref`.
    public var root: CanonicalValue

    static let annotations: Set = ["$schema", "$id", "title", "description", "$defs"]
    static let keywords: Set = ["type", "enum", "required", "properties", "additionalProperties", "items", "minimum", "$ref"]

    /// A checker for a schema.
    public init(root: CanonicalValue) { self.root = root }

    /// A checker for a schema file.
    /// - Throws: When the file cannot be read or is not JSON.
    public init(file: URL) throws { self.init(root: try ArtifactReader.json(Data(contentsOf: file))) }

    /// The errors of a document against the root schema, as `path: message`.
    public func validate(_ instance: CanonicalValue) -> [String] {
        validate(instance, against: root)
    }

    /// The errors of a document against one schema.
    public func validate(_ instance: CanonicalValue, against schema: CanonicalValue, at path: String = "$") -> [String] {
        guard case .object(let keywords) = schema else { return ["\(path): a schema must be an object"] }
        var errors: [String] = []
        for key in keywords.keys.sorted() where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            errors.append("\(path): unsupported schema keyword '\(key)'")
        }
        if case .string(let reference)? = keywords["$ref"] {
            let name = reference.hasPrefix("#/$defs/") ? String(reference.dropFirst("#/$defs/".count)) : nil
            if let name, let target = root["$defs"]?[name] {
                errors += validate(instance, against: target, at: path)
            } else {
                errors.append("\(path): cannot resolve $ref '\(reference)'")
            }
        }
        if let additional = keywords["additionalProperties"], additional != .bool(false) {
            errors.append("\(path): only additionalProperties: false is supported")
        }
        switch keywords["type"] {
        case nil: break
        case .string(let type)?:
            if !instance.hasJSONType(type) { return errors + ["\(path): expected \(type), found \(instance.jsonTypeName)"] }
        case .array(let types)?:
            let names = types.compactMap { value -> String? in if case .string(let s) = value { return s } else { return nil } }
            if !names.contains(where: instance.hasJSONType) {
                return errors + ["\(path): expected one of \(names.joined(separator: ", ")), found \(instance.jsonTypeName)"]
            }
        default: errors.append("\(path): 'type' must be a name or a list of names")
        }
        if case .array(let allowed)? = keywords["enum"], !allowed.contains(instance) {
            errors.append("\(path): \(instance.compactJSON) is not one of \(CanonicalValue.array(allowed).compactJSON)")
        }
        if case .int(let minimum)? = keywords["minimum"], case .int(let value) = instance, value < minimum {
            errors.append("\(path): \(value) is below the minimum \(minimum)")
        }
        if case .object(let members) = instance {
            if case .array(let required)? = keywords["required"] {
                for case .string(let name) in required where members[name] == nil {
                    errors.append("\(path): missing required member '\(name)'")
                }
            }
            let properties = keywords["properties"]
            for name in members.keys.sorted() {
                if let property = properties?[name] {
                    errors += validate(members[name]!, against: property, at: "\(path).\(name)")
                } else if keywords["additionalProperties"] == .bool(false) {
                    errors.append("\(path): unexpected member '\(name)'")
                }
            }
        }
        if case .array(let items) = instance, let itemSchema = keywords["items"] {
            for (index, item) in items.enumerated() {
                errors += validate(item, against: itemSchema, at: "\(path)[\(index)]")
            }
        }
        return errors
    }
}

extension CanonicalValue {
    /// The member of an object.
    public subscript(key: String) -> CanonicalValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The elements of an array.
    public var array: [CanonicalValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The JSON type name, as JSON Schema's `type` spells it.
    public var jsonTypeName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .int: "integer"
        case .decimal: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }

    /// Whether the value has a JSON Schema type (an integer is also a number).
    public func hasJSONType(_ type: String) -> Bool {
        type == jsonTypeName || (type == "number" && jsonTypeName == "integer")
    }

    /// Compact JSON text, keys sorted, for messages.
    public var compactJSON: String {
        String(decoding: CanonicalJSONWriter().write(self), as: UTF8.self)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .joined().replacingOccurrences(of: "\": ", with: "\":")
    }
}
