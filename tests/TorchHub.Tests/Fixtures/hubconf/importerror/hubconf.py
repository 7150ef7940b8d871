"""Imports that fail for sure, and names bound only in an except block (issue 12)."""
dependencies = []

# pkg is a regular package of the repository without 'missing': ImportError for sure,
# so fast_model is None and torch.hub.list does not list it.
try:
    from pkg.missing import fast_model
except ImportError:
    fast_model = None

# pkg.present exists: the try succeeds.
try:
    from pkg.present import slow_model
except ImportError:
    slow_model = None

# Names bound only in the except block are conditional (the module might be installed).
try:
    from not_installed_accelerator_xyz import turbo_model
except ImportError:
    from pkg.fallback import *
