def vendor_net(**kwargs):
    """From vendor/pkgs, added with os.path.abspath."""
