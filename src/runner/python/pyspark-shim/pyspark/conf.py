from duckdb.experimental.spark.conf import SparkConf

__all__ = ["SparkConf"]
