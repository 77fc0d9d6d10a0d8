#!/usr/bin/env python3
"""The shared "fleet render" workload (../shared/bench/WORKLOAD.md) in Vigil's own language.

Usage:
  scripts/workload-fleet.py generate INDIR ROOT    # INDIR from: gen_fleet.py E T INDIR
  scripts/workload-fleet.py compare REFOUT VIGILOUT # REFOUT from: ref_render.py INDIR REFOUT
                                                    # VIGILOUT from: vigil render --root ROOT --out VIGILOUT

generate writes a Vigil root (library: none), deterministic (same INDIR, same bytes; keys sorted):
  vigil.yaml                     library: none; disables 3 policy rules the workload does not model
  baselines/metric-alerts.yaml   25 metric alerts     (defaults windowSize/evaluationFrequency applied)
  baselines/log-alerts.yaml      10 log alerts        (aggregation Count, tables = the query's table)
  baselines/prometheus.yaml       5 Prometheus rules  (group "baseline"; expr = query op threshold)
  baselines/retention.yaml       12 tables
  baselines/collection.yaml      the tables the log alerts read (only for vigil check; not rendered)
  overlays/tier/multi-tenant.yaml   the 8 template instances, forEach: tenant
  overlays/tier/dedicated.yaml      5 threshold changes, 4 retention raises
  overlays/stage/production.yaml    10 severity changes, 3 retention raises (wins over dedicated:
                                    Vigil's layer order is tier -> compliance -> stage -> overrides)
  templates/<template>.yaml      one per per-tenant alert, "${tenant}" -> "${tenant.id}"
  environments/<env>.yaml        tags, owner, stage, tier, region, Azure scopes, workspace law-<env>,
                                 the existing action group (resourceId, not rendered), tenants,
                                 components.prometheus: in-cluster, and the env's two thresholds
                                 as overrides.

Mapping (WORKLOAD.md -> Vigil):
  * alert name -> item id. Metric/log names are ids already, so the Azure names are the
    reference's: <env>-<alert>, per tenant <env>-<template>-<tenant>. Prometheus names are
    UpperCamelCase and Vigil derives the rule name from the id (PrometheusRenderer.alertName),
    so the id is the kebab-case name (TargetDown <-> target-down). Per-tenant rules need
    unique ids, so their alert name carries the tenant (TenantHighErrorRateAcme000, plus the
    label tenant: acme-000) where the reference keeps TenantHighErrorRate.
  * metric scope: one resource key "resource-group" = /subscriptions/S/resourceGroups/RG, the
    reference's scope. A resource-group scope renders the multi-resource shape with
    targetResourceType (the alert's resourceType) and targetResourceRegion, as the reference's.
  * severity: Azure alerts carry the integer. In-cluster Prometheus rules carry Vigil's class
    label (0,1 critical; 2 warning; 3,4 info), not the reference's "2"; compare maps it.
  * thresholds of Prometheus rules live inside expr, so overlays/overrides restate expr.
  * fields the workload lacks but Vigil requires: title (= alert name, or the Prometheus
    summary), layer (layer_of below), log tables, route "team" (the existing group).

compare REFOUT VIGILOUT reads REFOUT/<env>/{arm.json,prometheusrule.yaml} and, per environment
VIGILOUT/<env>/azure/*.json (every deploymentTemplate, so split alerts-<layer>-N.json count) and
the PrometheusRule documents of kubernetes/*.yaml. It checks the counts of metric alerts,
scheduledQueryRules, workspace tables and Prometheus alerting rules, then a deterministic sample.
It gets no INDIR, so it cannot tell which alerts an environment overrides or production
re-grades; it samples every baseline alert instead (a superset of the first 5 metric alerts, the
overridden alerts and the production severity changes), template k's alert of tenant k mod T in
multi-tenant environments (k over the 8 templates in overlay order), and every table. Per
sampled alert: threshold, severity, operator, metric/namespace/aggregation or query, window,
frequency, scopes, action group, description, dimensions and the reference's tags; per
Prometheus rule: expr (holds the threshold), for, summary, severity class, tenant label; per
table both retentions. Prints one summary line; exit 0 when equal, else the first 20
mismatches and exit 1.
stdlib + PyYAML only.
"""
import json
import os
import re
import shutil
import sys

PH = "${tenant}"
RG_KEY = "resource-group"       # the azure.resources key every metric alert monitors
ROUTE = "team"                  # the action-group key every alert routes to
ARM_SCHEMA_SUFFIX = "/deploymentTemplate.json#"
POLICY_OFF = ["policy/alert-metadata", "policy/retention-limits", "policy/tenant-split"]


def load(path):
    with open(path) as f:
        return json.load(f)


def kebab(name):
    """Prometheus alert name -> Vigil id: KubePodCrashLooping -> kube-pod-crash-looping."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def camel(item_id):
    """Vigil's rule name for an id (Sources/VigilCompiler/Render/Targets/PrometheusRenderer.swift:65)."""
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[-.]", item_id) if p)


def severity_class(sev):
    """Vigil's in-cluster severity label (PrometheusRenderer.swift:69)."""
    return "critical" if sev <= 1 else "warning" if sev == 2 else "info"


def layer_of(name):
    """A Vigil monitoring layer for an alert (required field; also the ARM split key)."""
    for prefix, layer in (("sql-", "data"), ("storage-", "data"), ("sb-", "data"), ("kv-", "security"),
                          ("signin-", "security"), ("keyvault-", "security"), ("audit-", "security"),
                          ("app-", "application"), ("tenant-", "application"), ("appgw-", "ingress")):
        if name.startswith(prefix):
            return layer
    return "platform"


def table_of(query):
    return re.match(r"\s*([A-Za-z0-9_]+)", query).group(1)


# ------------------------------------------------------------------ YAML text out
PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_./-]*$")
RESERVED = {"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"}


def q(s):
    """A string scalar: plain when it is obviously a word (ids, enums, durations, table names),
    else YAML 1.2 double-quoted (a JSON string is one). Quoted scalars are always strings."""
    if PLAIN.match(s) and s not in RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)


def flow(v):
    """A flow value: strings quoted, numbers plain, maps/lists JSON-style with sorted keys."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return q(v)
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return "{" + ", ".join(f"{q(k)}: {flow(v[k])}" for k in sorted(v)) + "}"


def block(d, indent=0):
    """Block mapping lines for a dict; leaves (and empty maps) as flow values, keys sorted."""
    out, pad = [], "  " * indent
    for k in sorted(d):
        v = d[k]
        if isinstance(v, dict) and v:
            out.append(f"{pad}{q(k)}:")
            out.extend(block(v, indent + 1))
        else:
            out.append(f"{pad}{q(k)}: {flow(v)}")
    return out


def write_doc(root, rel, kind, name, body, description=None):
    head = {"apiVersion": "vigil/v1", "kind": kind, "name": name}
    if description:
        head["description"] = description
    lines = [f"{k}: {flow(head[k])}" for k in ("apiVersion", "kind", "name", "description") if k in head]
    lines += block(body)
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


# ------------------------------------------------------------------ generate
def metric_item(a, md, tenant_dim=None):
    m = {"resource": RG_KEY, "resourceType": a["metricNamespace"], "namespace": a["metricNamespace"],
         "metric": a["metricName"], "aggregation": a["aggregation"], "operator": a["operator"],
         "threshold": a["threshold"], "window": md["windowSize"], "frequency": md["evaluationFrequency"]}
    if tenant_dim:
        m["dimensions"] = {tenant_dim: {"operator": "Include", "values": ["${tenant.id}"]}}
    return {"title": a["name"] + ("-${tenant.id}" if tenant_dim else ""), "description": a["description"],
            "layer": layer_of(a["name"]), "severity": a["severity"], "route": ROUTE, "autoMitigate": True,
            "metric": m}


def log_item(a, ld, tenant=False):
    return {"title": a["name"] + ("-${tenant.id}" if tenant else ""), "description": a["description"],
            "layer": layer_of(a["name"]), "severity": a["severity"], "route": ROUTE,
            "log": {"query": a["query"], "tables": [table_of(a["query"])], "aggregation": "Count",
                    "operator": a["operator"], "threshold": a["threshold"],
                    "window": ld["windowSize"], "frequency": ld["evaluationFrequency"]}}


def expr(p, threshold):
    return f"{p['query']} {p['operator']} {threshold}"


def prom_item(p, group, tenant=False):
    item = {"title": p["summary"], "layer": "platform", "severity": p["severity"], "route": ROUTE,
            "prometheus": {"expr": expr(p, p["threshold"]), "for": p["for"], "group": group}}
    if tenant:
        item["prometheus"]["labels"] = {"tenant": "${tenant.id}"}
    return item


def retention_item(r):
    return {"retentionInDays": r["retentionInDays"], "totalRetentionInDays": r["totalRetentionInDays"]}


def threshold_patch(kinds, name, value):
    """A patch setting an alert's threshold: metric/log field, or the Prometheus expr."""
    kind, a = kinds[name]
    if kind == "prometheus":
        return kebab(name), {"prometheus": {"expr": expr(a, value)}}
    return name, {kind: {"threshold": value}}


def prepare_root(root):
    """An empty ROOT, or one this script wrote before (its generated folders are replaced, so
    no environment of a larger earlier fleet survives). Anything else is refused."""
    if os.path.isdir(root) and os.listdir(root):
        try:
            with open(os.path.join(root, "vigil.yaml")) as f:
                ours = "\nname: workload-fleet\n" in f.read()
        except OSError:
            ours = False
        if not ours:
            sys.exit(f"{root}: not empty and not written by workload-fleet.py generate")
        for d in ("baselines", "environments", "overlays", "templates"):
            shutil.rmtree(os.path.join(root, d), ignore_errors=True)


def generate(ind, root):
    prepare_root(root)
    fleet = load(os.path.join(ind, "fleet.json"))
    base = load(os.path.join(ind, "baseline.json"))
    mt = load(os.path.join(ind, "overlays", "multi-tenant.json"))
    ded = load(os.path.join(ind, "overlays", "dedicated.json"))
    prod = load(os.path.join(ind, "overlays", "production.json"))
    md, ld = base["metricAlertDefaults"], base["logAlertDefaults"]
    for p in base["promRules"] + mt["tenantPromRules"]:
        if camel(kebab(p["alert"])) != p["alert"]:
            sys.exit(f"{p['alert']}: not the UpperCamelCase of a Vigil id")
    # alert name -> (criteria kind, definition): overlays and environments refer to names
    kinds = {a["name"]: ("metric", a) for a in base["metricAlerts"]}
    kinds.update({a["name"]: ("log", a) for a in base["logAlerts"]})
    kinds.update({p["alert"]: ("prometheus", p) for p in base["promRules"]})

    # vigil check: the workload has no runbooks/impact (alert-metadata), keeps 365 days in dev by
    # design (retention-limits) and has platform-wide application alerts on multi-tenant
    # platforms (tenant-split); those rules are disabled, the others run.
    write_doc(root, "vigil.yaml", "Config", "workload-fleet",
              {"library": "none", "policy": {"disable": POLICY_OFF}},
              f"fleet render workload, E={fleet['E']} T={fleet['T']} (scripts/workload-fleet.py)")
    # the tables the log alerts query, as one collection source, so policy/log-table-collected holds
    queried = sorted({table_of(a["query"]) for a in base["logAlerts"] + mt["tenantLogAlerts"]})
    write_doc(root, "baselines/collection.yaml", "Baseline", "collection",
              {"collection": {"workspace": {"kind": "dataCollectionRule", "tables": queried}}})
    write_doc(root, "baselines/metric-alerts.yaml", "Baseline", "metric-alerts",
              {"alerts": {a["name"]: metric_item(a, md) for a in base["metricAlerts"]}})
    write_doc(root, "baselines/log-alerts.yaml", "Baseline", "log-alerts",
              {"alerts": {a["name"]: log_item(a, ld) for a in base["logAlerts"]}})
    write_doc(root, "baselines/prometheus.yaml", "Baseline", "prometheus",
              {"alerts": {kebab(p["alert"]): prom_item(p, "baseline") for p in base["promRules"]}})
    write_doc(root, "baselines/retention.yaml", "Baseline", "retention",
              {"retention": {r["table"]: retention_item(r) for r in base["retention"]}})

    # per-tenant templates: one Template per alert, id <template>-${tenant.id}
    def sub(x):
        return x.replace(PH, "${tenant.id}") if isinstance(x, str) else x
    templates = []
    for a in mt["tenantMetricAlerts"]:
        item = metric_item({k: sub(v) for k, v in a.items()}, md, tenant_dim=a["dimension"])
        templates.append((a["name"], item))
    for a in mt["tenantLogAlerts"]:
        templates.append((a["name"], log_item({k: sub(v) for k, v in a.items()}, ld, tenant=True)))
    for p in mt["tenantPromRules"]:
        templates.append((kebab(p["alert"]), prom_item({k: sub(v) for k, v in p.items()}, "tenants", tenant=True)))
    for tname, item in templates:
        write_doc(root, f"templates/{tname}.yaml", "Template", tname, {"alerts": {tname + "-${tenant.id}": item}})

    write_doc(root, "overlays/tier/multi-tenant.yaml", "Overlay", "multi-tenant",
              {"appliesTo": {"tier": "multi-tenant"},
               "instances": {t: {"template": t, "forEach": "tenant"} for t, _ in templates}})
    ded_alerts = dict(threshold_patch(kinds, n, v) for n, v in ded["thresholds"].items())
    write_doc(root, "overlays/tier/dedicated.yaml", "Overlay", "dedicated",
              {"appliesTo": {"tier": "dedicated"}, "alerts": ded_alerts,
               "retention": {t: retention_item(r) for t, r in ded["retention"].items()}})
    prod_alerts = {(kebab(n) if kinds[n][0] == "prometheus" else n): {"severity": s}
                   for n, s in prod["severity"].items()}
    write_doc(root, "overlays/stage/production.yaml", "Overlay", "production",
              {"appliesTo": {"stage": "production"}, "alerts": prod_alerts,
               "retention": {t: retention_item(r) for t, r in prod["retention"].items()}})

    for name in fleet["environments"]:
        env = load(os.path.join(ind, "envs", name + ".json"))
        sub_id, rg = env["subscriptionId"], env["resourceGroup"]
        body = {
            "owner": env["owner"], "tier": env["kind"], "stage": env["stage"], "region": env["region"],
            "tags": {"environment": name, "stage": env["stage"], "owner": env["owner"]},
            "components": {"prometheus": "in-cluster"},
            "azure": {"subscriptionId": sub_id, "resourceGroup": rg, "workspace": f"law-{name}",
                      "resources": {RG_KEY: f"/subscriptions/{sub_id}/resourceGroups/{rg}"}},
            "actionGroups": {ROUTE: {
                "shortName": env["owner"][:12], "purpose": "page",
                "resourceId": (f"/subscriptions/{sub_id}/resourceGroups/rg-monitoring"
                               f"/providers/Microsoft.Insights/actionGroups/{env['actionGroup']}")}},
        }
        # the environment's own thresholds: patches of the merged item (after the overlays)
        overrides = {}
        for n, v in env["thresholds"].items():
            i, patch = threshold_patch(kinds, n, v)
            overrides[i] = patch
        if overrides:
            body["overrides"] = {"alerts": overrides}
        if env["kind"] == "multi-tenant" and env["tenants"]:
            body["tenants"] = {t: {} for t in env["tenants"]}
        write_doc(root, f"environments/{name}.yaml", "Environment", name, body)


# ------------------------------------------------------------------ compare
try:
    import yaml
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
except ImportError:  # pragma: no cover
    yaml = None


def ref_env(d):
    """The reference's resources: {type: [resource]}, and its Prometheus rules [(rule)]."""
    arm = load(os.path.join(d, "arm.json"))
    by_type = {}
    for r in arm["resources"]:
        by_type.setdefault(r["type"], []).append(r)
    with open(os.path.join(d, "prometheusrule.yaml")) as f:
        pr = yaml.load(f, Loader=_Loader)
    rules = [r for g in pr["spec"]["groups"] for r in g["rules"]]
    return by_type, rules


def vigil_env(d):
    """Vigil's resources from every azure/*.json deployment template (split files included) and
    its alerting rules from every PrometheusRule document of kubernetes/*.yaml."""
    by_type, rules = {}, []
    az, k8s = os.path.join(d, "azure"), os.path.join(d, "kubernetes")
    for f in sorted(os.listdir(az)) if os.path.isdir(az) else []:
        if f.endswith(".json"):
            doc = load(os.path.join(az, f))
            if str(doc.get("$schema", "")).endswith(ARM_SCHEMA_SUFFIX):
                for r in doc.get("resources", []):
                    by_type.setdefault(r["type"], []).append(r)
    for f in sorted(os.listdir(k8s)) if os.path.isdir(k8s) else []:
        if f.endswith((".yaml", ".yml")):
            with open(os.path.join(k8s, f)) as fh:
                for doc in yaml.load_all(fh, Loader=_Loader):
                    if isinstance(doc, dict) and doc.get("kind") == "PrometheusRule":
                        rules += [r for g in doc["spec"]["groups"] for r in g["rules"] if "alert" in r]
    return by_type, rules


MA, SQR, TBL = ("Microsoft.Insights/metricAlerts", "Microsoft.Insights/scheduledQueryRules",
                "Microsoft.OperationalInsights/workspaces/tables")


def metric_values(r):
    p = r["properties"]
    c = p["criteria"]["allOf"][0]
    return {"threshold": c["threshold"], "severity": p["severity"], "operator": c["operator"],
            "metricName": c["metricName"], "metricNamespace": c["metricNamespace"],
            "timeAggregation": c["timeAggregation"], "dimensions": [
                (x["name"], x["operator"], x["values"]) for x in c.get("dimensions", [])],
            "description": p["description"], "scopes": p["scopes"], "windowSize": p["windowSize"],
            "evaluationFrequency": p["evaluationFrequency"], "enabled": p["enabled"],
            "actionGroups": [a["actionGroupId"] for a in p["actions"]]}


def log_values(r):
    p = r["properties"]
    c = p["criteria"]["allOf"][0]
    return {"threshold": c["threshold"], "severity": p["severity"], "operator": c["operator"],
            "query": c["query"], "timeAggregation": c["timeAggregation"], "failingPeriods": c["failingPeriods"],
            "displayName": p["displayName"], "description": p["description"], "scopes": p["scopes"],
            "windowSize": p["windowSize"], "evaluationFrequency": p["evaluationFrequency"],
            "location": r["location"], "actionGroups": p["actions"]["actionGroups"]}


def prom_values(r, ref):
    sev = r["labels"]["severity"]
    return {"expr": r["expr"], "for": r["for"], "summary": r["annotations"]["summary"],
            "severity": severity_class(int(sev)) if ref else sev, "tenant": r["labels"].get("tenant")}


def vigil_prom_name(ref_rule):
    """The Vigil rule name of a reference rule: per-tenant rules carry the tenant in the name."""
    t = ref_rule["labels"].get("tenant")
    return camel(kebab(ref_rule["alert"]) + ("-" + t if t else ""))


def compare(refout, vigilout):
    problems, n_res, n_val = [], 0, 0
    envs = sorted(e for e in os.listdir(refout) if os.path.isdir(os.path.join(refout, e)))
    venvs = sorted(e for e in os.listdir(vigilout) if os.path.isfile(os.path.join(vigilout, e, "manifest.json")))
    problems += [f"{e}: not rendered by Vigil" for e in sorted(set(envs) - set(venvs))]
    problems += [f"{e}: rendered by Vigil, not by the reference" for e in sorted(set(venvs) - set(envs))]

    def check(env, what, ref, got):
        nonlocal n_val
        n_val += 1
        if ref != got and not (isinstance(ref, (int, float)) and isinstance(got, (int, float)) and ref == got):
            if isinstance(ref, str) and isinstance(got, str):   # show where long texts differ
                i = next((i for i, (a, b) in enumerate(zip(ref, got)) if a != b), min(len(ref), len(got)))
                ref, got = ref[max(0, i - 30):i + 30], got[max(0, i - 30):i + 30]
            problems.append(f"{env}: {what}: reference {ref!r:.100} != vigil {got!r:.100}")

    for env in sorted(set(envs) & set(venvs)):
        rt, rrules = ref_env(os.path.join(refout, env))
        vt, vrules = vigil_env(os.path.join(vigilout, env))
        for kind, label in ((MA, "metric alerts"), (SQR, "log alerts"), (TBL, "workspace tables")):
            check(env, f"count of {label}", len(rt.get(kind, [])), len(vt.get(kind, [])))
        check(env, "count of Prometheus rules", len(rrules), len(vrules))
        n_res += sum(len(v) for v in vt.values()) + len(vrules)
        vby = {k: {r["name"]: r for r in v} for k, v in vt.items()}
        vprom = {r["alert"]: r for r in vrules}

        # The sample. compare gets no INDIR, so it cannot tell which alerts an environment
        # overrides or production re-grades: it checks every baseline alert, which includes
        # the first 5 metric alerts, both overridden alerts and every production severity.
        metrics, logs = rt.get(MA, []), rt.get(SQR, [])
        nb_m = sum(1 for r in metrics if not r["properties"]["criteria"]["allOf"][0]["dimensions"])
        # tenants in environment order: the reference nests tenant (outer) -> template (inner)
        tenants = list(dict.fromkeys(
            r["properties"]["criteria"]["allOf"][0]["dimensions"][0]["values"][0] for r in metrics[nb_m:]))
        nb_l = sum(1 for r in logs if not any(r["name"].endswith("-" + t) for t in tenants))
        pick = [(MA, r) for r in metrics[:nb_m]] + [(SQR, r) for r in logs[:nb_l]]
        if tenants:
            # template k (overlay order: metric, log, then Prometheus templates) -> tenant k mod T
            t0, T = "-" + tenants[0], len(tenants)
            firsts = [(MA, r["name"][:-len(t0)]) for r in metrics[nb_m:nb_m + (len(metrics) - nb_m) // T]]
            firsts += [(SQR, r["name"][:-len(t0)]) for r in logs[nb_l:nb_l + (len(logs) - nb_l) // T]]
            for k, (kind, prefix) in enumerate(firsts):
                name = f"{prefix}-{tenants[k % T]}"
                pick += [(kind, r) for r in (metrics if kind == MA else logs) if r["name"] == name]
        for kind, r in pick:
            got = vby.get(kind, {}).get(r["name"])
            if got is None:
                problems.append(f"{env}: {r['name']}: missing in Vigil's output")
                continue
            values = metric_values if kind == MA else log_values
            rv, gv = values(r), values(got)
            for k in sorted(rv):
                check(env, f"{r['name']} {k}", rv[k], gv[k])
            for k, v in sorted(r["tags"].items()):
                check(env, f"{r['name']} tag {k}", v, got["tags"].get(k))
        # Prometheus: every baseline rule, and template k's rule of tenant k mod T
        ptenant = [r for r in rrules if "tenant" in r["labels"]]
        ppick = [r for r in rrules if "tenant" not in r["labels"]]
        if ptenant:
            for k, a in enumerate(dict.fromkeys(r["alert"] for r in ptenant)):
                t = tenants[(len(firsts) + k) % len(tenants)] if tenants else None
                ppick += [r for r in ptenant if r["alert"] == a and r["labels"]["tenant"] == t]
        for r in ppick:
            name = vigil_prom_name(r)
            got = vprom.get(name)
            if got is None:
                problems.append(f"{env}: Prometheus rule {name} (reference {r['alert']}): missing in Vigil's output")
                continue
            rv, gv = prom_values(r, True), prom_values(got, False)
            for k in sorted(rv):
                check(env, f"rule {name} {k}", rv[k], gv[k])
        # every table's retention
        for r in rt.get(TBL, []):
            got = vby.get(TBL, {}).get(r["name"])
            if got is None:
                problems.append(f"{env}: table {r['name']}: missing in Vigil's output")
                continue
            for k in ("retentionInDays", "totalRetentionInDays"):
                check(env, f"table {r['name']} {k}", r["properties"][k], got["properties"].get(k))

    if problems:
        for p in problems[:20]:
            print(p)
        print(f"compared {len(envs)} environments, {n_res} resources, {n_val} sampled values: "
              f"{len(problems)} mismatches")
        return 1
    print(f"compared {len(envs)} environments, {n_res} resources, {n_val} sampled values: equal")
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "generate":
        generate(argv[2], argv[3])
        return 0
    if len(argv) == 4 and argv[1] == "compare":
        if yaml is None:
            sys.exit("workload-fleet.py compare needs PyYAML")
        return compare(argv[2], argv[3])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
