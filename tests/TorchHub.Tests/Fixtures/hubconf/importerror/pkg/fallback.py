def turbo_model(pretrained=False):
    """Fallback for the accelerated model."""
    return pretrained
