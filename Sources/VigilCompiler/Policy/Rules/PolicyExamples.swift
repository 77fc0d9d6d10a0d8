/// Small roots for the rules' passing and failing examples.
enum PolicyExamples {
    static let config = "apiVersion: vigil/v1\nkind: Config\nname: example\nlibrary: none\n"

    /// A production environment with a paging and a notifying action group.
    static func environment(stage: String = "production", extra: String = "") -> String {
        """
        apiVersion: vigil/v1
        kind: Environment
        name: acme-prod
        tier: dedicated
        stage: \(stage)
        region: westeurope
        components: {postgresql: flexible-server}
        azure:
          subscriptionId: 00000000-0000-0000-0000-000000000001
          resourceGroup: rg-acme
          workspace: law-acme
          resources:
            postgresql: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-acme/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-acme
        actionGroups:
          oncall:
            shortName: acme-page
            purpose: page
            receivers:
              sms: {type: sms, countryCode: "1", phoneNumber: "5550100"}
          ops:
            shortName: acme-ops
            purpose: notify
            receivers:
              mail: {type: email, address: ops@example.com}

        """ + extra
    }

    /// A complete metric alert body (indented for `alerts:` entries), with overridable fields.
    static func alert(
        severity: Int = 2, route: String? = "ops", metadata: Bool = true, covers: String = "[postgresql.cpu]",
        window: String = "15m", frequency: String = "5m"
    ) -> String {
        var lines = ["    title: PostgreSQL CPU high", "    layer: data", "    severity: \(severity)"]
        if let route { lines.append("    route: \(route)") }
        if metadata {
            lines += [
                "    owner: platform-data", "    runbook: https://runbooks.example.com/postgresql-cpu",
                "    response: Check Query Store for the top queries and scale the server if the load is legitimate.",
                "    impact: performance",
            ]
        }
        lines += [
            "    covers: \(covers)",
            "    metric: {resource: postgresql, resourceType: Microsoft.DBforPostgreSQL/flexibleServers, namespace: Microsoft.DBforPostgreSQL/flexibleServers, metric: cpu_percent, aggregation: Average, operator: GreaterThan, threshold: 90, window: \(window), frequency: \(frequency)}",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    static func root(baseline: String, environment: String = environment()) -> [String: String] {
        [
            "vigil.yaml": config,
            "baselines/base.yaml": "apiVersion: vigil/v1\nkind: Baseline\nname: base\n" + baseline,
            "environments/acme-prod.yaml": environment,
        ]
    }
}
