def lib_net(depth: int = 3):
    """From lib/, appended to sys.path."""
