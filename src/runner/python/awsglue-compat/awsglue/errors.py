class GlueSessionRequired(RuntimeError):
    """What this local session cannot do: it needs a real AWS Glue session."""

    def __init__(self, what):
        super().__init__(
            "%s needs an AWS Glue session. This local session runs glue-kernel's awsglue "
            "compatibility package, which reads and writes local files only (file:// or plain paths; "
            "csv, json, parquet). Run this on AWS Glue (the kernel's glue backend with an AWS account), "
            "or copy the data to a local file." % what
        )
