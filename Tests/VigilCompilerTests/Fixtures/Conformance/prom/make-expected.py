#!/usr/bin/env python3
"""Writes expected.json: the Prometheus source rules that ConformanceTests compares Vigil's
rendered PrometheusRule with. The Swift test target cannot parse YAML (it does not depend on
Yams), so the source rules are converted to JSON here, verbatim (PyYAML safe_load, no edits).

Usage, from the package root:
    python3 Tests/VigilCompilerTests/Fixtures/Conformance/prom/make-expected.py \
        ../shared/reference > Tests/VigilCompilerTests/Fixtures/Conformance/prom/expected.json

To add a case, append (Vigil alert id, source file under prom/raw, alert name, severity label
or None) to CASES, translate the rule into input/baselines/prom.yaml and rerun.
"""
import json
import sys

import yaml

CASES = [
    ("kube-pod-crash-looping",
     "prom/raw/kube-prometheus/manifests/kubernetesControlPlane-prometheusRule.groups.yaml",
     "KubePodCrashLooping", None),
    ("node-filesystem-almost-out-of-space",
     "prom/raw/kube-prometheus/manifests/nodeExporter-prometheusRule.groups.yaml",
     "NodeFilesystemAlmostOutOfSpace", "critical"),
    ("long-running-transaction",
     "prom/raw/cloudnative-pg/docs/src/samples/monitoring/alerts.yaml",
     "LongRunningTransaction", None),
    ("postgres-has-high-dead-locks",
     "prom/raw/postgres_exporter/postgres_mixin/rendered-alerts.yaml",
     "PostgresHasHighDeadLocks", None),
    ("redis-out-of-memory",
     "prom/raw/redis_exporter/contrib/redis-mixin/rendered-alerts.yaml",
     "RedisOutOfMemory", None),
]


def main(reference):
    cases = []
    for vigil_id, source, alert, severity in CASES:
        with open(f"{reference}/{source}") as f:
            groups = yaml.safe_load(f)["groups"]
        found = [
            (group["name"], rule)
            for group in groups
            for rule in group["rules"]
            if rule.get("alert") == alert
            and (severity is None or rule.get("labels", {}).get("severity") == severity)
        ]
        if len(found) != 1:
            sys.exit(f"{source}: {len(found)} rules match {alert} (severity {severity})")
        group, rule = found[0]
        cases.append({"id": vigil_id, "source": source, "group": group, "rule": rule})
    json.dump({"cases": cases}, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference")
