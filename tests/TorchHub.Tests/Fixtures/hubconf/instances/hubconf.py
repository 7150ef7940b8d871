"""Entrypoints that are objects: instances of repository classes with __call__ (issue 12)."""
import pathlib

from models import factories
from models.entry import _EntryPoint, Plain

dependencies = []

_ce = lambda name: _EntryPoint(name)

# An instance made through a lambda: callable, so torch.hub.list lists it.
resnet50 = _ce("resnet50")

# Through an in-repository factory function that returns a constructor call.
tiny = factories.build("tiny")

# __call__ inherited from an in-repository base class.
net = factories.Net()

# No __call__ anywhere: not callable, not listed.
plain = Plain()

# An object of a class outside the repository: only running the code can tell.
outside = pathlib.PurePosixPath("weights")
