from duckdb.experimental.spark.sql.functions import *  # noqa: F401,F403
