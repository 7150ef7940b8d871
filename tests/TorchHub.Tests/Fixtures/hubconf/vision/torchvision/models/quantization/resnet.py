__all__ = ["QuantizableResNet", "resnet18"]


class QuantizableResNet:
    pass


def resnet18(*, weights=None, progress=True, quantize=False, **kwargs):
    """ResNet-18 model, quantized."""
