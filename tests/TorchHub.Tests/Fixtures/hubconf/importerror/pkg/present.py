def slow_model(pretrained=False):
    """The slow but always available model."""
    return pretrained
