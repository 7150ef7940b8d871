using System.Threading;
using System.Threading.Tasks;
using TorchHub.Downloads;

namespace TorchHub;

public sealed partial class Hub
{
    /// <summary>
    /// torch.hub.download_url_to_file: downloads <paramref name="url"/> to <paramref name="dst"/>
    /// (always, replacing a file there), checking the SHA-256 against <paramref name="hashPrefix"/>
    /// when given. Unlike torch it resumes, retries, locks across processes and never leaves a
    /// partial file at <paramref name="dst"/>.
    /// </summary>
    public HubFile DownloadUrlToFile(string url, string dst, string? hashPrefix = null, bool progress = true, CancellationToken cancellationToken = default) =>
        DownloadUrlToFileAsync(url, dst, hashPrefix, progress, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="DownloadUrlToFile"/>
    public Task<HubFile> DownloadUrlToFileAsync(string url, string dst, string? hashPrefix = null, bool progress = true, CancellationToken cancellationToken = default) =>
        Downloader.DownloadUrlToFileAsync(url, dst, hashPrefix, progress, cancellationToken);

    /// <summary>
    /// The download half of torch.hub.load_state_dict_from_url: the cached checkpoint for
    /// <paramref name="url"/> in <paramref name="modelDir"/> (default &lt;hub dir&gt;/checkpoints),
    /// downloaded when missing. <paramref name="checkHash"/> takes the expected SHA-256 prefix from
    /// the file name (name-&lt;hex&gt;.ext). A legacy zip checkpoint (one member) is expanded beside it
    /// and the expanded file is returned, as torch loads it. A file already there is reused without a
    /// request; one recorded from another URL is refused.
    /// </summary>
    public HubFile GetCheckpoint(string url, string? modelDir = null, string? fileName = null, bool checkHash = false,
        bool progress = true, CancellationToken cancellationToken = default) =>
        GetCheckpointAsync(url, modelDir, fileName, checkHash, progress, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="GetCheckpoint"/>
    public Task<HubFile> GetCheckpointAsync(string url, string? modelDir = null, string? fileName = null, bool checkHash = false,
        bool progress = true, CancellationToken cancellationToken = default) =>
        Downloader.GetCheckpointAsync(url, modelDir, fileName, checkHash, progress, cancellationToken);

    /// <summary>Save-HubFile for one request, with its progress reported through <see cref="HubOptions.Feedback"/>.</summary>
    public HubFile SaveFile(SaveFileRequest request, CancellationToken cancellationToken = default) =>
        SaveFileAsync(request, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="SaveFile"/>
    public Task<HubFile> SaveFileAsync(SaveFileRequest request, CancellationToken cancellationToken = default) =>
        Downloader.SaveAsync(request, progress: true, cancellationToken);

    /// <summary>Validates a request and says where the file would go, touching neither disk nor network (for -WhatIf).</summary>
    public SavePlan PlanSave(SaveFileRequest request) => Downloader.Plan(request);

    /// <summary>A batch of saves sharing a throttle and an overall progress bar (Save-HubFile).</summary>
    internal DownloadBatch CreateDownloadBatch(int throttleLimit) => Downloader.CreateBatch(throttleLimit);

    /// <summary>The downloader for this Hub's options and hub directory.</summary>
    internal Downloader Downloader => new(Options, Cache);
}
