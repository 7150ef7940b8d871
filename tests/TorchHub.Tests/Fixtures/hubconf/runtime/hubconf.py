"""Entrypoints made at run time from a registry (issue 12): the static listing is incomplete."""
dependencies = []

_REGISTRY = ["alpha_net", "beta_net"]


def _make(name):
    def build(pretrained=False):
        return name
    build.__doc__ = "Builds " + name + "."
    return build


for _name in _REGISTRY:
    globals()[_name] = _make(_name)


def static_net(pretrained=False):
    """Defined the ordinary way."""
    return pretrained
