"""pytorch/vision's resnet18 entrypoint, from the torchvision installed beside torch."""
dependencies = ["torch", "torchvision"]

from torchvision.models.resnet import resnet18  # noqa: F401
