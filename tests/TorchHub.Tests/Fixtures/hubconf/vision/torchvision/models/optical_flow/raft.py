from .._api import register_model

__all__ = (
    "RAFT",
    "raft_large",
    "raft_small",
)


class RAFT:
    """RAFT model from
    `RAFT: Recurrent All Pairs Field Transforms for Optical Flow <https://arxiv.org/abs/2003.12039>`_.
    """

    def __init__(self, feature_encoder, context_encoder, *, update_block=None):
        pass


@register_model()
def raft_large(*, weights=None, progress=True, **kwargs) -> RAFT:
    """RAFT model from
    `RAFT: Recurrent All Pairs Field Transforms for Optical Flow <https://arxiv.org/abs/2003.12039>`_.

    Please see the example below for a tutorial on how to use this model.
    """
    return RAFT(None, None)


@register_model()
def raft_small(*, weights=None, progress=True, **kwargs) -> RAFT:
    """RAFT "small" model from
    `RAFT: Recurrent All Pairs Field Transforms for Optical Flow <https://arxiv.org/abs/2003.12039>`__.
    """
    return RAFT(None, None)
