class GlueSessionRequired(RuntimeError):
    """What this local session cannot do: it needs a real AWS Glue session."""

    def __init__(self, what):
        super().__init__(
            "%s needs an AWS Glue session. This local session runs glue-kernel's awsglue "
            "compatibility package, which reads and writes local files only (file:// or plain paths; "
            "csv, json, parquet). Run it in a real AWS Glue session (the glue backend with an AWS account, "
            "not the emulator or the local backend), or copy the data to a local file." % what
        )
