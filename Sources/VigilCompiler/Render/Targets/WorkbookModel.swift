import Foundation

/// The Azure Monitor workbook content model (`Notebook/1.0`), typed: the items Vigil writes, each
/// turned into a ``CanonicalValue`` in one place. The workbook resource carries it as a string
/// (`serializedData`), written by ``CanonicalJSONWriter/compact(_:)``.
///
/// Stage: render. Built by ``WorkbookRenderer``.
enum Workbook {
    /// The schema URL of workbook content.
    static let schema = "https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json"
    /// The resource type KQL items query.
    static let workspaceType = "microsoft.operationalinsights/workspaces"

    /// A parameter of the parameters item.
    struct Parameter {
        /// A time-range picker (type 4) with a default look-back.
        struct TimeRange {
            var defaultMilliseconds: Int
        }

        /// A drop-down (type 2) of fixed values.
        struct DropDown {
            var options: [(value: String, label: String)]
        }

        var id: String
        var name: String
        var label: String
        var timeRange: TimeRange?
        var dropDown: DropDown?

        var canonical: CanonicalValue {
            var fields: CanonicalObject = [
                "id": .string(id), "version": .string("KqlParameterItem/1.0"), "name": .string(name),
                "label": .string(label), "isRequired": .bool(true),
            ]
            if let timeRange {
                fields["type"] = .int(4)
                fields["value"] = .fields(["durationMs": .int(timeRange.defaultMilliseconds)])
                fields["typeSettings"] = .fields([
                    "selectableValues": .array([3_600_000, 21_600_000, 86_400_000, 604_800_000, 2_592_000_000].map {
                        .fields(["durationMs": .int($0)])
                    }),
                    "allowCustom": .bool(true),
                ])
            }
            if let dropDown {
                fields["type"] = .int(2)
                fields["jsonData"] = .string(CanonicalJSONWriter().compact(.array(dropDown.options.map {
                    .fields(["value": .string($0.value), "label": .string($0.label)])
                })))
                if let first = dropDown.options.first { fields["value"] = .string(first.value) }
            }
            return .object(fields)
        }
    }

    /// One item of the workbook.
    enum Item {
        /// Markdown (type 1).
        case text(name: String, markdown: String)
        /// The parameters (type 9).
        case parameters(name: String, [Parameter])
        /// A KQL query (type 3) against the workbook's workspace.
        case query(Query)

        var canonical: CanonicalValue {
            switch self {
            case .text(let name, let markdown):
                return .fields(["type": .int(1), "name": .string(name), "content": .fields(["json": .string(markdown)])])
            case .parameters(let name, let parameters):
                return .fields([
                    "type": .int(9), "name": .string(name),
                    "content": .fields([
                        "version": .string("KqlParameterItem/1.0"), "parameters": .array(parameters.map(\.canonical)),
                        "style": .string("pills"), "queryType": .int(0), "resourceType": .string(workspaceType),
                    ]),
                ])
            case .query(let query):
                return query.canonical
            }
        }
    }

    /// A KQL query item.
    struct Query {
        var name: String
        var title: String
        var query: String
        /// `timechart` or `table`.
        var visualization: String
        /// The item's share of the width, in percent.
        var width: Int
        /// A fixed look-back instead of the time-range parameter.
        var fixedMilliseconds: Int?
        /// The time-range parameter's name.
        var timeParameter: String

        var canonical: CanonicalValue {
            var content: CanonicalObject = [
                "version": .string("KqlItem/1.0"), "query": .string(query), "size": .int(0), "title": .string(title),
                "queryType": .int(0), "resourceType": .string(workspaceType), "visualization": .string(visualization),
            ]
            if let fixed = fixedMilliseconds {
                content["timeContext"] = .fields(["durationMs": .int(fixed)])
            } else {
                content["timeContextFromParameter"] = .string(timeParameter)
            }
            var fields: CanonicalObject = ["type": .int(3), "name": .string(name), "content": .object(content)]
            if width < 100 { fields["customWidth"] = .string(String(width)) }
            return .object(fields)
        }
    }

    /// The workbook content.
    struct Notebook {
        var items: [Item]
        var fallbackResource: String

        var canonical: CanonicalValue {
            .fields([
                "version": .string("Notebook/1.0"),
                "items": .array(items.map(\.canonical)),
                "fallbackResourceIds": .array([.string(fallbackResource)]),
                "$schema": .string(schema),
            ])
        }
    }
}
