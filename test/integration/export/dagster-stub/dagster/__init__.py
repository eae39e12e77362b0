"""A stand-in for Dagster (not installable here): records what a generated module declares.

It has the names and keyword arguments of the Dagster API that `weir export dagster` uses, so
calling one with a wrong name or argument fails the test; it does not run anything.
"""

DECLARED = {}


class _Record:
    def __init__(self, kind, **kwargs):
        self.kind = kind
        self.kwargs = kwargs


class AssetCheckSeverity:
    ERROR = "ERROR"
    WARN = "WARN"


class AssetCheckSpec(_Record):
    def __init__(self, name, asset):
        super().__init__("AssetCheckSpec", name=name, asset=asset)


class AssetCheckResult(_Record):
    def __init__(self, check_name, passed, severity=AssetCheckSeverity.ERROR, metadata=None):
        super().__init__("AssetCheckResult", check_name=check_name, passed=passed, severity=severity, metadata=metadata or {})


class MaterializeResult(_Record):
    def __init__(self, metadata=None, check_results=None):
        super().__init__("MaterializeResult", metadata=metadata or {}, check_results=check_results or [])


class Failure(Exception):
    def __init__(self, description=None, metadata=None):
        super().__init__(description)
        self.description = description
        self.metadata = metadata or {}


class DynamicPartitionsDefinition(_Record):
    def __init__(self, name):
        super().__init__("DynamicPartitionsDefinition", name=name)
        self.name = name

    def build_add_request(self, keys):
        return ("add", self.name, list(keys))


class RunRequest(_Record):
    def __init__(self, partition_key=None, run_key=None):
        super().__init__("RunRequest", partition_key=partition_key, run_key=run_key)


class SensorResult(_Record):
    def __init__(self, run_requests=None, dynamic_partitions_requests=None):
        super().__init__("SensorResult", run_requests=run_requests or [], dynamic_partitions_requests=dynamic_partitions_requests or [])


class SkipReason(_Record):
    def __init__(self, skip_message=None):
        super().__init__("SkipReason", skip_message=skip_message)


def asset(name, group_name=None, description=None, partitions_def=None, check_specs=None):
    def wrap(fn):
        DECLARED["asset"] = {"name": name, "group_name": group_name, "description": description, "partitions_def": partitions_def, "check_specs": check_specs or [], "fn": fn}
        return fn

    return wrap


def sensor(name, job, minimum_interval_seconds=None):
    def wrap(fn):
        DECLARED["sensor"] = {"name": name, "job": job, "minimum_interval_seconds": minimum_interval_seconds, "fn": fn}
        return fn

    return wrap


def define_asset_job(name, selection, partitions_def=None):
    job = _Record("AssetJob", name=name, selection=selection, partitions_def=partitions_def)
    DECLARED["job"] = job
    return job


class Definitions(_Record):
    def __init__(self, assets=None, jobs=None, sensors=None):
        super().__init__("Definitions", assets=assets or [], jobs=jobs or [], sensors=sensors or [])
