"""One family of user-facing errors: the CLI prints their message once, never a traceback."""


class KGError(Exception):
    """A problem the user can act on; str(err) is the whole message."""

    exit_code = 1


class InputError(KGError):
    """An article or input file that cannot be read."""


class StoreError(KGError):
    """The store cannot be opened, is busy, or is not a defence-kg store."""


class QueryError(KGError):
    """A query that cannot run: syntax, unknown name, bad parameter, timeout."""

    exit_code = 2
