from . import export_hooks  # noqa: F401
