from .small import *
from .large import LargeNet, large_net

__all__ = ["small_net", "tiny_net", "large_net", "LargeNet"]
