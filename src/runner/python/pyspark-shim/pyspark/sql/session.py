"""SparkSession over DuckDB. DuckDB's builder makes a new in-memory database on every
getOrCreate(); PySpark's returns the active session, which notebooks rely on (spark,
SparkContext.getOrCreate() and GlueContext(sc).spark_session are one session)."""

from duckdb.experimental.spark.sql.session import SparkSession as _DuckDBSparkSession

__all__ = ["SparkSession"]


class SparkSession(_DuckDBSparkSession):
    _active = None

    class Builder(_DuckDBSparkSession.Builder):
        def getOrCreate(self):
            if SparkSession._active is None:
                from pyspark.context import SparkContext

                SparkSession._active = SparkSession(SparkContext())
            return SparkSession._active

    builder = Builder()

    @classmethod
    def getActiveSession(cls):
        return cls._active

    def newSession(self):
        return self

    def __repr__(self):
        return "<SparkSession over DuckDB (glue-kernel's pyspark shim)>"
