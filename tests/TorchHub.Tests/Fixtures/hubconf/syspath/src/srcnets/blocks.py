def small_net(pretrained=False):
    """A small network from src/srcnets/blocks.py."""


class Block:
    """A building block.

    Found through sys.path.insert(0, .../src).
    """

    def __init__(self, width=8):
        self.width = width
