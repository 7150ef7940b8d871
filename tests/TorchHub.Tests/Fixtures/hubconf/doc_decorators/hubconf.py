import docdeco
from docdeco import wrapped_then_edit as wrap_edit

dependencies = ["torch"]


@docdeco.append_note
def noted(pretrained=False):
    """Noted model."""


@docdeco.concat_plus
def plussed():
    """Plus."""


@docdeco.prefix_or
def prefixed():
    pass


@docdeco.constant
def replaced():
    """Replaced."""


@wrap_edit
def wrapped(x=1):
    """Wrapped model."""


@docdeco.conditional
def checked():
    """  Checked.  """


@docdeco.conditional
def unchecked():
    pass


@docdeco.local_variable
def localized():
    """Local."""


@docdeco.append_note
@docdeco.concat_plus
def stacked():
    """Stacked."""


@docdeco.formatted
def templated():
    """Model {name}."""


@docdeco.in_loop
def looped():
    """Loop."""


@docdeco.factory(" (factory)")
def made():
    """Made."""
