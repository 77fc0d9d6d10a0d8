#!/usr/bin/env python3
"""Generate a fleet of Vigil environments for benchmarks: E environments, every 4th one
multi-tenant with T tenants (the shape of ../shared/bench/WORKLOAD.md), against the shipped
library. Deterministic: the same E and T give byte-identical files.

Usage: scripts/gen-fleet.py E T OUTDIR [--library PATH]
Writes OUTDIR/vigil.yaml and OUTDIR/environments/<name>.yaml.
"""
import os
import sys

STAGES = ["dev", "staging", "production"]
REGIONS = ["westeurope", "northeurope", "swedencentral", "germanywestcentral"]


def guid(i, salt):
    h = (i * 2654435761 + salt * 40503) % (1 << 48)
    return "%08x-%04x-4%03x-8%03x-%012x" % (h & 0xFFFFFFFF, (h >> 8) & 0xFFFF, i % 4096, salt % 4096, h)


def environment(i, tenants):
    name = "env%05d" % i
    multi = i % 4 == 3
    stage = STAGES[i % 3]
    sub = guid(i, 1)
    rg = "rg-odoo-%s" % name
    base = "/subscriptions/%s/resourceGroups/%s/providers" % (sub, rg)
    flexible = i % 5 != 4
    managed = i % 2 == 0
    lines = [
        "apiVersion: vigil/v1",
        "kind: Environment",
        "name: %s" % name,
        "owner: team-%s" % name,
        "tier: %s" % ("multi-tenant" if multi else "dedicated"),
        "stage: %s" % stage,
        "region: %s" % REGIONS[i % len(REGIONS)],
    ]
    if not multi:
        lines += ["host: %s.erp.example.com" % name, "database: %s" % name]
    if stage == "production" and i % 6 == 2:
        lines.append("compliance: [healthcare]")
    lines += [
        "components:",
        "  postgresql: %s" % ("flexible-server" if flexible else "cloudnativepg"),
        "  redis: %s" % ("azure-cache" if flexible else "in-cluster"),
        "  backup: velero",
        "  prometheus: %s" % ("managed" if managed else "in-cluster"),
        "  ingress: traefik",
        # Synthetic checks: the in-cluster blackbox exporter next to in-cluster Prometheus,
        # Application Insights availability tests otherwise.
        "  synthetics: %s" % ("application-insights" if managed else "blackbox"),
        "azure:",
        "  subscriptionId: %s" % sub,
        "  resourceGroup: %s" % rg,
        "  workspace: law-%s" % name,
        "  resources:",
        "    aks: %s/Microsoft.ContainerService/managedClusters/aks-%s" % (base, name),
        "    storage: %s/Microsoft.Storage/storageAccounts/st%s" % (base, name),
        "    keyvault: %s/Microsoft.KeyVault/vaults/kv-%s" % (base, name),
        "    monitor-workspace: %s/Microsoft.Monitor/accounts/amw-%s" % (base, name),
        "    app-insights: %s/Microsoft.Insights/components/appi-%s" % (base, name),
    ]
    if stage == "production" and i % 6 == 2:
        # The healthcare overlay exports the audit tables to an immutable account.
        lines.append("    audit-archive: %s/Microsoft.Storage/storageAccounts/staudit%s" % (base, name))
    if flexible:
        lines += [
            "    postgresql: %s/Microsoft.DBforPostgreSQL/flexibleServers/psql-%s" % (base, name),
            "    redis: %s/Microsoft.Cache/Redis/redis-%s" % (base, name),
        ]
    lines += [
        "recovery: {rpo: 15m, rto: 4h}",
        "actionGroups:",
        "  oncall:",
        "    shortName: page-%s" % name[-5:],
        "    purpose: page",
        "    receivers:",
        "      mail: {type: email, address: oncall-%s@example.com}" % name,
        "      phone: {type: sms, countryCode: \"49\", phoneNumber: \"1555%07d\"}" % i,
        "  ops:",
        "    shortName: ops-%s" % name[-5:],
        "    purpose: notify",
        "    receivers:",
        "      mail: {type: email, address: ops-%s@example.com}" % name,
    ]
    if multi:
        lines.append("tenants:")
        for t in range(tenants):
            tid = "tenant-%03d" % t
            lines.append(
                "  %s: {displayName: Tenant %03d, namespace: odoo-%s, host: %s.erp.example.com, database: %s}"
                % (tid, t, tid, tid, tid.replace("-", "_")))
    return name, "\n".join(lines) + "\n"


def main():
    args = sys.argv[1:]
    library = None
    if "--library" in args:
        index = args.index("--library")
        library = args[index + 1]
        del args[index:index + 2]
    if len(args) != 3:
        sys.exit(__doc__)
    count, tenants, out = int(args[0]), int(args[1]), args[2]
    os.makedirs(os.path.join(out, "environments"), exist_ok=True)
    with open(os.path.join(out, "vigil.yaml"), "w") as f:
        f.write("apiVersion: vigil/v1\nkind: Config\nname: bench-fleet\n")
        if library:
            f.write("library: %s\n" % library)
    for i in range(count):
        name, text = environment(i, tenants)
        with open(os.path.join(out, "environments", name + ".yaml"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
