"""Decorators that change __doc__, as real hub repositories write them."""
import functools

_NOTE = """

    Note: the weights are downloaded on first use."""


def append_note(fn):
    fn.__doc__ += _NOTE
    return fn


def concat_plus(fn):
    fn.__doc__ = fn.__doc__ + " (plus)"
    return fn


def prefix_or(fn):
    fn.__doc__ = "Prefix. " + (fn.__doc__ or "")
    return fn


def constant(fn):
    """Replaces the docstring."""
    fn.__doc__ = "A constant docstring."
    return fn


def wrapped_then_edit(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    wrapper.__doc__ = (wrapper.__doc__ or "") + "\n(wrapped)"
    return wrapper


def conditional(fn):
    if fn.__doc__ is not None:
        fn.__doc__ = fn.__doc__.strip() + " [checked]"
    else:
        fn.__doc__ = "Undocumented."
    return fn


def local_variable(fn):
    doc = fn.__doc__ or ""
    doc += " [local]"
    fn.__doc__ = doc
    return fn


def formatted(fn):
    fn.__doc__ = fn.__doc__.format(name=fn.__name__)
    return fn


def in_loop(fn):
    for tag in ("a", "b"):
        fn.__doc__ += tag
    return fn


def factory(text):
    def decorate(fn):
        fn.__doc__ = (fn.__doc__ or "") + text
        return fn
    return decorate
