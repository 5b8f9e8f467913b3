from duckdb.experimental.spark.sql.dataframe import DataFrame

__all__ = ["DataFrame"]
