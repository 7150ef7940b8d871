from functools import partial
from typing import Any, Optional

import torch
import torch.nn as nn

from ._api import register_model
from ._utils import handle_legacy_interface

__all__ = ["AlexNet", "alexnet"]


class AlexNet(nn.Module):
    def __init__(self, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.num_classes = num_classes


@register_model()
@handle_legacy_interface(weights=("pretrained", None))
def alexnet(*, weights: Optional[Any] = None, progress: bool = True, **kwargs: Any) -> AlexNet:
    """AlexNet model architecture from `One weird trick for parallelizing convolutional neural networks <https://arxiv.org/abs/1404.5997>`__.

    .. note::
        AlexNet was originally introduced in the `ImageNet Classification with
        Deep Convolutional Neural Networks
        <https://papers.nips.cc/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html>`__
        paper. Our implementation is based instead on the "One weird trick"
        paper above.

    Args:
        weights (:class:`~torchvision.models.AlexNet_Weights`, optional): The
            pretrained weights to use.
        progress (bool, optional): If True, displays a progress bar of the
            download to stderr. Default is True.
    """
    return AlexNet(**kwargs)
