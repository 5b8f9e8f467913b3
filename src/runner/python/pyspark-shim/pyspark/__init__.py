"""glue-kernel's pyspark shim: the PySpark names a Glue notebook imports, over DuckDB's
PySpark-compatible API (duckdb.experimental.spark). The runner puts it on sys.path only when the
real pyspark is not importable; a real pyspark always wins."""

from pyspark.conf import SparkConf
from pyspark.context import SparkContext

__glue_kernel_shim__ = True
__version__ = "0+glue.kernel.duckdb.shim"
__all__ = ["SparkConf", "SparkContext"]
