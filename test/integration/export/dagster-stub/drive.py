"""Loads a generated module against the stand-in Dagster, runs its asset (and sensor) and prints what happened as JSON."""
import importlib.util
import json
import sys

import dagster

spec = importlib.util.spec_from_file_location("weir_defs", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
partition = sys.argv[2] if len(sys.argv) > 2 else None


class Context:
    partition_key = partition


class Instance:
    def get_dynamic_partitions(self, name):
        return ["B0001"]


class SensorContext:
    instance = Instance()


def plain(v):
    if isinstance(v, dagster._Record):
        return {"kind": v.kind, **{k: plain(x) for k, x in v.kwargs.items() if k != "fn"}}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items() if k != "fn"}
    if callable(v):
        return "function " + v.__name__
    return v


out = {"declared": plain({k: v for k, v in dagster.DECLARED.items()}), "defs": plain(module.defs)}
results = []
try:
    for r in dagster.DECLARED["asset"]["fn"](Context()):
        results.append(plain(r))
    out["failure"] = None
except dagster.Failure as e:
    out["failure"] = e.description
out["results"] = results
if "sensor" in dagster.DECLARED:
    out["sensor"] = plain(dagster.DECLARED["sensor"]["fn"](SensorContext()))
print(json.dumps(out))
