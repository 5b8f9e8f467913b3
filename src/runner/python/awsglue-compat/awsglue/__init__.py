"""glue-kernel's awsglue compatibility package: the AWS Glue boilerplate (GlueContext, Job,
getResolvedOptions) and DynamicFrame's common operations over the runner's Spark-like engine
(DuckDB, or a real PySpark without awsglue). It reads and writes local files only; S3, the Data
Catalog and other connections raise GlueSessionRequired. The runner puts it on sys.path only
when the real awsglue is not importable; a real awsglue always wins."""

from awsglue.dynamicframe import DynamicFrame, DynamicRecord
from awsglue.errors import GlueSessionRequired

__glue_kernel_compat__ = True
__all__ = ["DynamicFrame", "DynamicRecord", "GlueSessionRequired"]
