"""Module-level values that are never entrypoints (issue 12): no warnings for them."""
import os

dependencies = []

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS = os.path.join(HERE, "weights")
NAMES = filter(None, ["a", "", "b"])
LISTED = sorted(["b", "a"])

for entry in ["small", "large"]:
    pass


def model(pretrained=False):
    """The one entrypoint."""
    return pretrained
