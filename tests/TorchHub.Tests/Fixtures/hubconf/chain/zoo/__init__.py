"""The zoo package re-exports its networks."""
from .nets import *
from .registry import register as _register
