from ..registry import register


class SmallNet:
    """A small network."""

    def __init__(self, width=8, **kwargs):
        self.width = width


@register
def small_net(width: int = 8) -> SmallNet:
    """Small network.

    Args:
        width: channels.
    """
    return SmallNet(width)


def tiny_net(**kwargs):
    """\
    Tiny network, with a docstring that starts with an escaped newline.
    """
    return SmallNet(width=2, **kwargs)


def _private_net():
    pass
