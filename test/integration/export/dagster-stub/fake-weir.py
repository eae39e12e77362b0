"""A stand-in for `weir` for a partitioned pipeline (the partition commands belong to another change): logs its arguments, answers `partitions --json` and `run --json`."""
import json
import os
import sys

args = sys.argv[1:]
with open(os.environ["FAKE_WEIR_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(args) + "\n")
if args[0] == "partitions":
    lots = [
        {"key": "B0001", "state": "up_to_date", "runId": "r1", "at": "2026-12-01T00:00:00Z", "fingerprint": "aa"},
        {"key": "B0002", "state": "changed", "runId": "r2", "at": "2026-12-01T00:00:00Z", "fingerprint": "bb"},
        {"key": "B0003", "state": "new", "fingerprint": "cc"},
    ]
    print(json.dumps({"pipeline": args[1], "key": "batch_id", "partitions": lots}))
else:
    record = {"runId": "run-42", "status": "succeeded", "nodes": [{"name": "checked", "checks": [{"rule": "positive", "severity": "error", "passed": True, "failingRows": 0}]}]}
    with open("record.json", "w", encoding="utf-8") as f:
        json.dump(record, f)
    print(json.dumps({"type": "run_finished", "recordPath": "record.json"}))
