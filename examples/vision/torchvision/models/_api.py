from enum import Enum
from typing import Any, Callable, Dict, List, Optional, TypeVar

BUILTIN_MODELS = {}

M = TypeVar("M")


class WeightsEnum(Enum):
    """The weights a model builder can load (torchvision's is a dataclass-valued Enum)."""


def register_model(name: Optional[str] = None) -> Callable[[Callable[..., M]], Callable[..., M]]:
    def wrapper(fn: Callable[..., M]) -> Callable[..., M]:
        key = name if name is not None else fn.__name__
        if key in BUILTIN_MODELS:
            raise ValueError(f"An entry is already registered under the name '{key}'.")
        BUILTIN_MODELS[key] = fn
        return fn

    return wrapper


def list_models(module=None) -> List[str]:
    """
    Returns a list with the names of registered models.

    Args:
        module (ModuleType, optional): The module from which we want to extract the available models.

    Returns:
        models (list): A list with the names of available models.
    """
    return sorted(BUILTIN_MODELS)


def get_model_builder(name: str) -> Callable[..., Any]:
    """
    Gets the model name and returns the model builder method.
    """
    return BUILTIN_MODELS[name.lower()]


def get_model(name: str, **config: Any) -> Any:
    """
    Gets the model name and configuration and returns an instantiated model.
    """
    return get_model_builder(name)(**config)


def get_weight(name: str) -> WeightsEnum:
    """
    Gets the weights enum value by its full name. Example: "ResNet50_Weights.IMAGENET1K_V1"

    Args:
        name (str): The name of the weight enum entry.

    Returns:
        WeightsEnum: The requested weight enum.
    """
    return None


def get_model_weights(name) -> WeightsEnum:
    """
    Returns the weights enum class associated to the given model.

    .. betastatus:: function
    """
    return None
