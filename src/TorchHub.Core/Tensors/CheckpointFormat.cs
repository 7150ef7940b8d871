namespace TorchHub.Tensors;

/// <summary>The on-disk formats <see cref="CheckpointReader"/> understands.</summary>
internal enum CheckpointFormat
{
    /// <summary>torch.save's zip format (PyTorch ≥ 1.6).</summary>
    TorchZip,
    /// <summary>The pre-1.6 non-zip pickle format.</summary>
    LegacyPickle,
    /// <summary>torch.hub's legacy zip: a zip holding one checkpoint file.</summary>
    HubLegacyZip,
    /// <summary>safetensors.</summary>
    Safetensors,
}
