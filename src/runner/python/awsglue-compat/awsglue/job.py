"""Job: bookmarks and commits mean nothing locally, so init and commit only record the name."""

__all__ = ["Job"]


class Job:
    def __init__(self, glue_context):
        self._glue_context = glue_context
        self.name = None
        self.args = {}
        self.committed = False

    def init(self, job_name, args=None):
        self.name = job_name
        self.args = dict(args or {})
        self.committed = False

    def commit(self):
        self.committed = True

    def isInitialized(self):
        return self.name is not None

    @staticmethod
    def continuation_options():
        return ["--continuation-option", "continuation-enabled"]
