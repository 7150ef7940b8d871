import functools
import warnings


def handle_legacy_interface(**weights):
    """Decorates a model builder with the new interface to make it compatible with the old."""

    def outer_wrapper(builder):
        @functools.wraps(builder)
        def inner_wrapper(*args, **kwargs):
            for weights_param, (pretrained_param, default) in weights.items():
                if pretrained_param in kwargs:
                    warnings.warn(f"The parameter '{pretrained_param}' is deprecated.")
                    kwargs[weights_param] = kwargs.pop(pretrained_param) and default
            return builder(*args, **kwargs)

        return inner_wrapper

    return outer_wrapper
