from .nets.small import SmallNet


def fast_net(**kwargs):
    """A fast network."""
    return SmallNet(**kwargs)
