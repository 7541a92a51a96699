"""The scope of the person behind the current request. Anonymous for now: public, published figures only.

The access-control work replaces this with the signed-in user's rights; pages and callbacks always ask
here, so that is the one place to change.
"""
from kdk.queries.scope import ANONYMOUS, Scope


def scope() -> Scope:
    return ANONYMOUS
