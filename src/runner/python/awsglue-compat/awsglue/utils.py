"""getResolvedOptions as in AWS Glue: job arguments come as --KEY value (or --KEY=value)."""

__all__ = ["GlueArgumentError", "getResolvedOptions"]


class GlueArgumentError(Exception):
    pass


def getResolvedOptions(args, options):
    """Returns {KEY: value} for each name in `options`, read from `args` (usually sys.argv).
    Like Glue, a missing argument is an error naming it."""
    if isinstance(options, str):
        raise GlueArgumentError("options must be a list of argument names, e.g. ['JOB_NAME']")
    found = {}
    items = list(args[1:] if args and not str(args[0]).startswith("--") else args)
    i = 0
    while i < len(items):
        item = str(items[i])
        i += 1
        if not item.startswith("--"):
            continue
        key = item[2:]
        if "=" in key:
            key, value = key.split("=", 1)
        elif i < len(items) and not str(items[i]).startswith("--"):
            value = str(items[i])
            i += 1
        else:
            value = ""
        found[key] = value
    missing = [name for name in options if name not in found]
    if missing:
        raise GlueArgumentError(
            "the following arguments are required: %s (pass them as --NAME value in sys.argv)"
            % ", ".join("--" + name for name in missing)
        )
    return {name: found[name] for name in options}
