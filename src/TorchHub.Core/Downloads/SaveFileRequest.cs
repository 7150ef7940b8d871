namespace TorchHub.Downloads;

/// <summary>One file to save: Save-HubFile's parameters for one URI.</summary>
public sealed record SaveFileRequest(string Uri)
{
    /// <summary>A file path, or a folder (existing, or ending in a separator). Null: &lt;hub dir&gt;/checkpoints.</summary>
    public string? Destination { get; init; }

    /// <summary>The file name inside a folder destination (torch's file_name); default: the URL path's last segment.</summary>
    public string? FileName { get; init; }

    /// <summary>SHA-256 prefix (or the full hash) the file must have (torch's hash_prefix).</summary>
    public string? HashPrefix { get; init; }

    /// <summary>Take the expected prefix from the file name, name-&lt;hex&gt;.ext (torch's check_hash).</summary>
    public bool CheckHash { get; init; }

    /// <summary>Download even when the file is already there (and replace a file saved from another URL).</summary>
    public bool Force { get; init; }

    /// <summary>Reuse a file already at the destination (torch's load_state_dict_from_url); false re-downloads like download_url_to_file.</summary>
    public bool ReuseExisting { get; init; } = true;

    /// <summary>Expand a legacy zip checkpoint (a zip holding one file) beside it, as torch does on load.</summary>
    public bool Expand { get; init; }
}
