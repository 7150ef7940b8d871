class LargeNet:
    """Large network."""


def large_net(pretrained: bool = False):
    r"""Large network (raw docstring: \d stays \d)."""
    return LargeNet()
