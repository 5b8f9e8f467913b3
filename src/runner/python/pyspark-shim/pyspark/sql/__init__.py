from duckdb.experimental.spark.sql import Catalog, DataFrame, DataFrameWriter, RuntimeConfig
from duckdb.experimental.spark.sql.column import Column
from duckdb.experimental.spark.sql.types import Row

from pyspark.sql import functions, types
from pyspark.sql.session import SparkSession

SQLContext = SparkSession
__all__ = [
    "Catalog",
    "Column",
    "DataFrame",
    "DataFrameWriter",
    "Row",
    "RuntimeConfig",
    "SQLContext",
    "SparkSession",
    "functions",
    "types",
]
