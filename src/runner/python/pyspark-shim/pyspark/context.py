"""SparkContext over DuckDB: one per runner, shared with the one SparkSession."""

from duckdb.experimental.spark.context import SparkContext as _DuckDBSparkContext

__all__ = ["SparkContext"]


class SparkContext(_DuckDBSparkContext):
    """DuckDB's context, with PySpark's getOrCreate() and a repr that works."""

    def __init__(self, master="local", appName="glue-kernel", *args, **kwargs):
        super().__init__(master)
        self.master = master
        self.appName = appName

    @classmethod
    def getOrCreate(cls, conf=None):
        from pyspark.sql.session import SparkSession

        return SparkSession.builder.getOrCreate().sparkContext

    @property
    def version(self):
        import duckdb

        return "DuckDB " + duckdb.__version__

    def setLogLevel(self, level):
        pass

    def __repr__(self):
        return "<SparkContext over DuckDB (glue-kernel's pyspark shim)>"
