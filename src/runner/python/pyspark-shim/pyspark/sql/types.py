from duckdb.experimental.spark.sql.types import *  # noqa: F401,F403
from duckdb.experimental.spark.sql.types import __all__  # noqa: F401
