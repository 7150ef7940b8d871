"""The tiny example hub for PyTorch users; hubconf.cs publishes the same model for .NET."""
import os

import torch

dependencies = ["torch"]


class TinyNet(torch.nn.Module):
    """relu(Linear(4, 2))."""

    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 2)

    def forward(self, x):
        return torch.relu(self.fc(x))


def tiny(pretrained=False, weights_url=None):
    """A tiny network, relu(Linear(4, 2)): the smallest model worth loading.

    pretrained (bool): load the weights shipped in the repository (weights/tiny_state.pth).
    weights_url (str): load the weights published at this URL instead (torch.hub.load_state_dict_from_url).
    """
    model = TinyNet()
    if weights_url is not None:
        model.load_state_dict(torch.hub.load_state_dict_from_url(weights_url, progress=False))
    elif pretrained:
        path = os.path.join(os.path.dirname(__file__), "weights", "tiny_state.pth")
        model.load_state_dict(torch.load(path, map_location="cpu"))
    return model.eval()


def tiny_script():
    """The same network as TorchScript (weights/tiny_script.pt)."""
    return torch.jit.load(os.path.join(os.path.dirname(__file__), "weights", "tiny_script.pt"))
