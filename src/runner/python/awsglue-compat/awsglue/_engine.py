"""The DataFrame operations DynamicFrame needs, for the two engines it can sit on: DuckDB's
PySpark-compatible API (the DataFrame wraps a DuckDB relation) and a real PySpark."""

import itertools
import json
import os
import re
import uuid

_counter = itertools.count()

# Glue type names (as in apply_mapping and printSchema) and the SQL types they cast to.
_GLUE_TO_SQL = {
    "string": "VARCHAR",
    "int": "INTEGER",
    "integer": "INTEGER",
    "long": "BIGINT",
    "bigint": "BIGINT",
    "short": "SMALLINT",
    "smallint": "SMALLINT",
    "byte": "TINYINT",
    "tinyint": "TINYINT",
    "double": "DOUBLE",
    "float": "FLOAT",
    "boolean": "BOOLEAN",
    "bool": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "binary": "BLOB",
}
_DUCKDB_TO_GLUE = {
    "varchar": "string",
    "integer": "int",
    "bigint": "long",
    "hugeint": "long",
    "smallint": "short",
    "tinyint": "byte",
    "uinteger": "long",
    "ubigint": "long",
    "usmallint": "int",
    "utinyint": "short",
    "double": "double",
    "float": "float",
    "boolean": "boolean",
    "date": "date",
    "blob": "binary",
    "null": "null",
}
_SPARK_TO_GLUE = {"bigint": "long", "smallint": "short", "tinyint": "byte", "integer": "int"}


def sql_type(glue_type):
    name = str(glue_type).strip().lower()
    if name in _GLUE_TO_SQL:
        return _GLUE_TO_SQL[name]
    m = re.match(r"^decimal(?:\((\d+)\s*,\s*(\d+)\))?$", name)
    if m:
        return "DECIMAL(%s,%s)" % (m.group(1) or "10", m.group(2) or "2")
    raise ValueError(
        "unknown type %r in the mapping; use one of %s or decimal(p,s)" % (glue_type, ", ".join(sorted(_GLUE_TO_SQL)))
    )


def quote_ident(name):
    return '"' + str(name).replace('"', '""') + '"'


def quote_path(path):
    """A dotted Glue field path (a.b) as a SQL expression; `a.b` in backticks is one name."""
    path = str(path)
    if path.startswith("`") and path.endswith("`"):
        return quote_ident(path[1:-1])
    return ".".join(quote_ident(part) for part in path.split("."))


def sql_string(text):
    return "'" + str(text).replace("'", "''") + "'"


def engine_of(df):
    return DuckDBFrames(df) if hasattr(df, "relation") and hasattr(df, "session") else SparkFrames(df)


class DuckDBFrames:
    def __init__(self, df):
        self.df = df
        self.rel = df.relation
        self.session = df.session

    @staticmethod
    def wrap(rel, session):
        from duckdb.experimental.spark.sql.dataframe import DataFrame

        return DataFrame(rel, session)

    def _view(self):
        name = "__glue_kernel_frame_%d" % next(_counter)
        self.rel.create_view(name, replace=True)
        return name

    def _project(self, expressions):
        return self.wrap(self.rel.project(", ".join(expressions)), self.session)

    def columns(self):
        return list(self.rel.columns)

    def schema_lines(self):
        lines = []

        def walk(name, t, depth):
            kind = t.id
            if kind == "struct":
                lines.append("%s|-- %s: struct" % ("|    " * depth, name))
                for child_name, child_type in t.children:
                    walk(child_name, child_type, depth + 1)
            elif kind == "list":
                lines.append("%s|-- %s: array" % ("|    " * depth, name))
            elif kind == "decimal":
                lines.append("%s|-- %s: %s" % ("|    " * depth, name, str(t).lower()))
            elif kind.startswith("timestamp"):
                lines.append("%s|-- %s: timestamp" % ("|    " * depth, name))
            else:
                lines.append("%s|-- %s: %s" % ("|    " * depth, name, _DUCKDB_TO_GLUE.get(kind, kind)))

        for name, t in zip(self.rel.columns, self.rel.types):
            walk(name, t, 0)
        return lines

    def count(self):
        return self.rel.aggregate("count(*)").fetchone()[0]

    def records(self, limit=None):
        rel = self.rel.limit(limit) if limit is not None else self.rel
        names = list(rel.columns)
        return [dict(zip(names, row)) for row in rel.fetchall()]

    def select(self, paths):
        return self._project(["%s AS %s" % (quote_path(p), quote_ident(str(p).split(".")[-1])) for p in paths])

    def drop(self, names):
        drop = set(names)
        return self._project([quote_ident(c) for c in self.rel.columns if c not in drop])

    def rename(self, old, new):
        return self._project(
            ["%s AS %s" % (quote_ident(c), quote_ident(new if c == old else c)) for c in self.rel.columns]
        )

    def apply_mapping(self, mappings):
        return self._project(
            [
                "CAST(%s AS %s) AS %s" % (quote_path(source), sql_type(target_type), quote_ident(target))
                for source, _source_type, target, target_type in mappings
            ]
        )

    def filter(self, keep):
        conn = self.session.conn
        table = "__glue_kernel_filter_%d" % next(_counter)
        conn.execute(
            "CREATE TEMP TABLE %s AS SELECT *, row_number() OVER () AS __glue_row FROM %s" % (table, self._view())
        )
        names = list(self.rel.columns)
        rows = conn.execute(
            "SELECT * EXCLUDE (__glue_row), __glue_row FROM %s ORDER BY __glue_row" % table
        ).fetchall()
        kept = [row[-1] for row in rows if keep(dict(zip(names, row[:-1])))]
        rel = conn.sql(
            "SELECT * EXCLUDE (__glue_row) FROM %s WHERE list_contains($kept, __glue_row) ORDER BY __glue_row" % table,
            params={"kept": kept},
        )
        # A relation with parameters cannot be re-planned later: materialize the result.
        result = "__glue_kernel_filtered_%d" % next(_counter)
        rel.create(result)
        return self.wrap(conn.table(result), self.session)

    @staticmethod
    def read(session, fmt, paths, options):
        conn = session.conn
        files = "[%s]" % ", ".join(sql_string(p) for p in paths)
        if fmt == "csv":
            header = bool(options.get("withHeader", False))
            args = ["header = %s" % ("true" if header else "false")]
            args.append("delim = %s" % sql_string(options.get("separator", ",")))
            args.append("quote = %s" % sql_string(options.get("quoteChar", '"')))
            if "escaper" in options:
                args.append("escape = %s" % sql_string(options["escaper"]))
            rel = conn.sql("SELECT * FROM read_csv(%s, %s)" % (files, ", ".join(args)))
            if not header:
                # Glue names header-less CSV columns col0, col1, …
                rel = rel.project(
                    ", ".join("%s AS %s" % (quote_ident(c), quote_ident("col%d" % i)) for i, c in enumerate(rel.columns))
                )
        elif fmt == "json":
            rel = conn.sql("SELECT * FROM read_json_auto(%s)" % files)
        else:
            rel = conn.sql("SELECT * FROM read_parquet(%s)" % files)
        return DuckDBFrames.wrap(rel, session)

    def write(self, fmt, directory, options):
        os.makedirs(directory, exist_ok=True)
        extension = {"csv": "csv", "json": "json", "parquet": "parquet"}[fmt]
        target = os.path.join(directory, "part-00000-%s.%s" % (uuid.uuid4(), extension))
        if fmt == "csv":
            copy = "FORMAT CSV, HEADER %s, DELIMITER %s" % (
                "true" if options.get("writeHeader", True) else "false",
                sql_string(options.get("separator", ",")),
            )
        elif fmt == "json":
            copy = "FORMAT JSON"
        else:
            copy = "FORMAT PARQUET"
        self.session.conn.execute("COPY (SELECT * FROM %s) TO %s (%s)" % (self._view(), sql_string(target), copy))
        return target


class SparkFrames:
    """The same operations on a real PySpark DataFrame (a PySpark without awsglue)."""

    def __init__(self, df):
        self.df = df

    def columns(self):
        return list(self.df.columns)

    def schema_lines(self):
        lines = []

        def walk(field, depth):
            type_name = field.dataType.typeName()
            if type_name == "struct":
                lines.append("%s|-- %s: struct" % ("|    " * depth, field.name))
                for child in field.dataType.fields:
                    walk(child, depth + 1)
            else:
                simple = field.dataType.simpleString()
                simple = "array" if simple.startswith("array") else simple
                lines.append("%s|-- %s: %s" % ("|    " * depth, field.name, _SPARK_TO_GLUE.get(simple, simple)))

        for field in self.df.schema.fields:
            walk(field, 0)
        return lines

    def count(self):
        return self.df.count()

    def records(self, limit=None):
        df = self.df.limit(limit) if limit is not None else self.df
        return [row.asDict(recursive=True) for row in df.collect()]

    def select(self, paths):
        from pyspark.sql.functions import col

        return self.df.select(*[col(p).alias(str(p).split(".")[-1]) for p in paths])

    def drop(self, names):
        return self.df.drop(*names)

    def rename(self, old, new):
        return self.df.withColumnRenamed(old, new)

    def apply_mapping(self, mappings):
        from pyspark.sql.functions import col

        for _source, _st, _target, target_type in mappings:
            sql_type(target_type)  # the same check as on DuckDB
        return self.df.select(
            *[col(source).cast(str(target_type)).alias(target) for source, _st, target, target_type in mappings]
        )

    def filter(self, keep):
        spark = self.df.sparkSession
        rdd = self.df.rdd.filter(lambda row: keep(row.asDict(recursive=True)))
        return spark.createDataFrame(rdd, self.df.schema)

    @staticmethod
    def read(session, fmt, paths, options):
        reader = session.read
        if fmt == "csv":
            reader = reader.option("header", bool(options.get("withHeader", False))).option(
                "sep", options.get("separator", ",")
            ).option("inferSchema", True)
        return reader.format(fmt).load(paths)

    def write(self, fmt, directory, options):
        writer = self.df.write.mode("append").format(fmt)
        if fmt == "csv":
            writer = writer.option("header", bool(options.get("writeHeader", True)))
        writer.save(directory)
        return directory


def to_json_line(record):
    return json.dumps(record, default=str, ensure_ascii=False)
