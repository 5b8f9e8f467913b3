"""DynamicFrame over a Spark-like DataFrame: the operations Glue notebooks use most."""

import os

from awsglue import _engine
from awsglue.errors import GlueSessionRequired

__all__ = ["DynamicFrame", "DynamicFrameReader", "DynamicFrameWriter", "DynamicRecord"]

FORMATS = ("csv", "json", "parquet")
LOCAL_CONNECTIONS = ("s3", "file", "local")


class DynamicRecord(dict):
    """A row as filter functions see it: rec["name"], also rec.name."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class DynamicFrame:
    def __init__(self, df, glue_ctx, name=""):
        self._df = df
        self.glue_ctx = glue_ctx
        self.name = name

    @classmethod
    def fromDF(cls, dataframe, glue_ctx, name=""):
        return cls(dataframe, glue_ctx, name)

    def toDF(self, options=None):
        return self._df

    @property
    def _ops(self):
        return _engine.engine_of(self._df)

    def _derive(self, df):
        return DynamicFrame(df, self.glue_ctx, self.name)

    def count(self):
        return self._ops.count()

    def schema_string(self):
        return "\n".join(["root"] + self._ops.schema_lines())

    def printSchema(self):
        print(self.schema_string())
        print()

    def show(self, num_rows=20):
        for record in self._ops.records(num_rows):
            print(_engine.to_json_line(record))

    def select_fields(self, paths, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0):
        return self._derive(self._ops.select(_names(paths, "select_fields")))

    def drop_fields(self, paths, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0):
        return self._derive(self._ops.drop(_names(paths, "drop_fields")))

    def rename_field(self, oldName, newName, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0):
        if oldName not in self._ops.columns():
            raise ValueError("rename_field: no field %r (fields: %s)" % (oldName, ", ".join(self._ops.columns())))
        return self._derive(self._ops.rename(oldName, newName))

    def apply_mapping(self, mappings, case_sensitive=False, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0):
        checked = []
        for mapping in mappings:
            if not isinstance(mapping, (tuple, list)) or len(mapping) != 4:
                raise ValueError(
                    "apply_mapping: each mapping is (source, source_type, target, target_type); got %r" % (mapping,)
                )
            checked.append(tuple(mapping))
        return self._derive(self._ops.apply_mapping(checked))

    def filter(self, f, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0):
        return self._derive(self._ops.filter(lambda record: bool(f(DynamicRecord(record)))))

    def repartition(self, num_partitions, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0):
        return self

    def coalesce(self, num_partitions, shuffle=False, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0):
        return self

    def getNumPartitions(self):
        return 1

    def __repr__(self):
        return "<DynamicFrame %s(%s)>" % (self.name + " " if self.name else "", ", ".join(self._ops.columns()))


def _names(paths, what):
    if isinstance(paths, str):
        raise ValueError("%s takes a list of field names, e.g. [%r]" % (what, paths))
    return [str(p) for p in paths]


def local_path(path, action):
    """A file:// URL or a plain path as a local path; anything else needs AWS Glue."""
    text = str(path)
    if text.startswith("file://"):
        return text[len("file://"):]
    if "://" in text:
        raise GlueSessionRequired("%s %s" % (action, text))
    return os.path.expanduser(text)


def _check_connection(connection_type, action):
    if str(connection_type).lower() not in LOCAL_CONNECTIONS:
        raise GlueSessionRequired("%s a %r connection" % (action, connection_type))


def _check_format(fmt, action):
    name = str(fmt or "").lower()
    if name not in FORMATS:
        raise ValueError("%s: format %r is not supported here; use one of %s" % (action, fmt, ", ".join(FORMATS)))
    return name


def _input_files(path):
    """A directory stands for the data files in it (recursively), as Glue reads a prefix."""
    if not os.path.isdir(path):
        if not os.path.exists(path):
            raise FileNotFoundError("no such file or directory: %s" % path)
        return [path]
    files = []
    for root, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        files.extend(os.path.join(root, n) for n in sorted(names) if not n.startswith((".", "_")))
    if not files:
        raise FileNotFoundError("the directory %s holds no data files" % path)
    return files


class DynamicFrameReader:
    def __init__(self, glue_context):
        self._glue_context = glue_context

    def from_options(self, connection_type, connection_options=None, format=None, format_options=None, transformation_ctx="", push_down_predicate="", **kwargs):
        _check_connection(connection_type, "Reading from")
        options = dict(connection_options or {})
        paths = options.get("paths", options.get("path"))
        if paths is None:
            raise ValueError('from_options: connection_options needs "paths": a list of files or directories')
        if isinstance(paths, str):
            paths = [paths]
        fmt = _check_format(format, "create_dynamic_frame.from_options")
        files = []
        for p in paths:
            files.extend(_input_files(local_path(p, "Reading")))
        session = self._glue_context.spark_session
        reader = _engine.DuckDBFrames if hasattr(session, "conn") else _engine.SparkFrames
        df = reader.read(session, fmt, files, dict(format_options or {}))
        return DynamicFrame(df, self._glue_context, transformation_ctx)

    def from_catalog(self, database=None, table_name=None, *args, **kwargs):
        raise GlueSessionRequired("Reading the Data Catalog table %s.%s" % (database, table_name))


class DynamicFrameWriter:
    def __init__(self, glue_context):
        self._glue_context = glue_context

    def from_options(self, frame, connection_type, connection_options=None, format=None, format_options=None, transformation_ctx="", **kwargs):
        _check_connection(connection_type, "Writing to")
        options = dict(connection_options or {})
        path = options.get("path")
        if not path:
            raise ValueError('write_dynamic_frame.from_options: connection_options needs "path": a local directory')
        fmt = _check_format(format, "write_dynamic_frame.from_options")
        directory = local_path(path, "Writing")
        _engine.engine_of(frame.toDF()).write(fmt, directory, dict(format_options or {}))
        return frame

    def from_catalog(self, frame=None, database=None, table_name=None, *args, **kwargs):
        raise GlueSessionRequired("Writing to the Data Catalog table %s.%s" % (database, table_name))
