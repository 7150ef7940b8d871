from .alexnet import *
from .resnet import *
from . import optical_flow
from . import quantization
from ._api import get_model, get_model_builder, get_model_weights, get_weight, list_models
