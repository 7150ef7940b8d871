"""A hub repository that uses most of what hubconf files do in the wild."""
import functools
import os
from functools import partial
from pathlib import Path

import torch
from torch.hub import load_state_dict_from_url

from zoo import *
from zoo.nets.small import tiny_net as tiny
from utils.helpers import _private_helper, make_model, timed

__all__ = ["tiny"]  # torch.hub.list ignores __all__

dependencies = ["torch", "numpy"]


def mnist(pretrained=False, *args, progress: bool = True, **kwargs) -> "torch.nn.Module":
    """
    MNIST classifier.

        pretrained (bool): load weights trained on MNIST
        progress (bool): show a progress bar
    """
    return None


async def fetcher(url, /, timeout=10, *, retries=3): 'One line, single quotes.'


class Segmenter(object):
    '''Segmenter model.	A tab is kept raw.'''

    scale = 2

    def forward(self, x):
        return x

    def __init__(self, num_classes: int = 21, backbone='resnet50'):
        self.num_classes = num_classes


big = partial(mnist, pretrained=True)
big_too = functools.partial(mnist, pretrained=True, progress=False)
alias = mnist
_hidden = mnist
CONSTANT = 3
NAMES = ["a", "b"]
lam = lambda x, y=2: x + y

try:
    from zoo.fast import fast_net
except ImportError:
    fast_net = None

if torch.__version__ >= "1.0":
    def modern():
        "Only with a recent torch."
else:
    def legacy():
        pass


@timed
def timed_model():
    """Timed model."""


def nodoc(a, b=(1, 2), c={"k": [1, 2]}):
    return a


if __name__ == "__main__":
    def main_only():
        pass
else:
    def under_torch():
        """Defined because torch.hub imports hubconf under the name 'hubconf.py'."""


nodoc.__doc__ = "Docstring assigned later."
del CONSTANT
