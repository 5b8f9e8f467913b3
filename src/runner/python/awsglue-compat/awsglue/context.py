"""GlueContext over the runner's Spark-like session."""

import logging

from awsglue.dynamicframe import DynamicFrame, DynamicFrameReader, DynamicFrameWriter  # noqa: F401 (as awsglue.context exports it)
from awsglue.errors import GlueSessionRequired

__all__ = ["GlueContext"]


class GlueContext:
    def __init__(self, sparkContext, **options):
        from pyspark.sql import SparkSession

        self._sc = sparkContext
        self.spark_session = SparkSession.builder.getOrCreate()
        self.create_dynamic_frame = DynamicFrameReader(self)
        self.write_dynamic_frame = DynamicFrameWriter(self)

    @property
    def sparkSession(self):
        return self.spark_session

    def create_dynamic_frame_from_options(self, connection_type, connection_options=None, format=None, format_options=None, transformation_ctx="", **kwargs):
        return self.create_dynamic_frame.from_options(
            connection_type, connection_options, format, format_options, transformation_ctx, **kwargs
        )

    def write_dynamic_frame_from_options(self, frame, connection_type, connection_options=None, format=None, format_options=None, transformation_ctx="", **kwargs):
        return self.write_dynamic_frame.from_options(
            frame, connection_type, connection_options, format, format_options, transformation_ctx, **kwargs
        )

    def create_dynamic_frame_from_catalog(self, database=None, table_name=None, *args, **kwargs):
        return self.create_dynamic_frame.from_catalog(database, table_name)

    def write_dynamic_frame_from_catalog(self, frame=None, database=None, table_name=None, *args, **kwargs):
        return self.write_dynamic_frame.from_catalog(frame, database, table_name)

    def create_data_frame_from_catalog(self, database=None, table_name=None, *args, **kwargs):
        raise GlueSessionRequired("Reading the Data Catalog table %s.%s" % (database, table_name))

    def purge_s3_path(self, s3_path, options=None, transformation_ctx=""):
        raise GlueSessionRequired("Purging %s" % s3_path)

    def get_logger(self):
        return logging.getLogger("awsglue")

    def __repr__(self):
        return "<GlueContext (glue-kernel's awsglue compatibility package) over %r>" % (self.spark_session,)

