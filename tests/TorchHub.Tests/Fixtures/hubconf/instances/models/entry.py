class _EntryPoint:
    """Builds a model by name when called."""

    def __init__(self, name):
        self.name = name

    def __call__(self, pretrained=False, **kwargs):
        return (self.name, pretrained, kwargs)


class Plain:
    """Holds settings; not callable."""
