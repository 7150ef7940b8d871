# Optional list of dependencies required by the package
dependencies = ["torch"]

from torchvision.models import get_model_weights, get_weight
from torchvision.models.alexnet import alexnet
from torchvision.models.optical_flow import raft_large, raft_small
from torchvision.models.quantization import resnet as _quantized_resnet
from torchvision.models.resnet import (
    resnet18,
    resnet50,
    wide_resnet50_2,
)
