"""The figures checked: the checks of ``narrator check`` (run in every render and batch too), compiled and interpreted."""
