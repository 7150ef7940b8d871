"""@dataclass classes as entrypoints: Python generates __doc__ from the fields (issue 12)."""
from dataclasses import dataclass, field
from typing import ClassVar

dependencies = []


@dataclass
class Options:
    depth: int = 18
    name: str = "resnet"
    scale: float = 1.5
    pretrained: bool = False
    layers: list = field(default_factory=list)
    registry: ClassVar[dict] = {}


@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0


@dataclass
class Documented:
    """A dataclass with its own docstring keeps it."""

    size: int = 3
