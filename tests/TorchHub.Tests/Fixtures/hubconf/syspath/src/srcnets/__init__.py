from .blocks import small_net, Block
