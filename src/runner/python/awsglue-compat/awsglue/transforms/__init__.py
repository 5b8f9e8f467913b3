"""The transform classes of `from awsglue.transforms import *`, each a thin call on DynamicFrame."""

__all__ = ["ApplyMapping", "DropFields", "Filter", "RenameField", "SelectFields", "GlueTransform"]


class GlueTransform:
    @classmethod
    def apply(cls, *args, **kwargs):
        return cls()(*args, **kwargs)


class ApplyMapping(GlueTransform):
    def __call__(self, frame, mappings, case_sensitive=False, transformation_ctx="", **kwargs):
        return frame.apply_mapping(mappings, case_sensitive, transformation_ctx)


class SelectFields(GlueTransform):
    def __call__(self, frame, paths, transformation_ctx="", **kwargs):
        return frame.select_fields(paths, transformation_ctx)


class DropFields(GlueTransform):
    def __call__(self, frame, paths, transformation_ctx="", **kwargs):
        return frame.drop_fields(paths, transformation_ctx)


class RenameField(GlueTransform):
    def __call__(self, frame, old_name, new_name, transformation_ctx="", **kwargs):
        return frame.rename_field(old_name, new_name, transformation_ctx)


class Filter(GlueTransform):
    def __call__(self, frame, f, transformation_ctx="", **kwargs):
        return frame.filter(f, transformation_ctx)

