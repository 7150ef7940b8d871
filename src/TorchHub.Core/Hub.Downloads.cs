using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Downloads;
using TorchHub.Http;

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
    public Task<HubFile> DownloadUrlToFileAsync(string url, string dst, string? hashPrefix = null, bool progress = true, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(HubDirectory.ExpandUser(dst)))
            throw new Errors.HubException(Errors.HubErrorIds.DestinationIsDirectory, Errors.HubErrorCategory.InvalidArgument,
                $"The destination '{dst}' is a folder; download_url_to_file needs a file path.", dst);
        return SaveOneAsync(new SaveFileRequest(url) { Destination = dst, HashPrefix = hashPrefix, ReuseExisting = false }, progress, cancellationToken);
    }

    /// <summary>
    /// The download half of torch.hub.load_state_dict_from_url: returns the path of the cached
    /// checkpoint for <paramref name="url"/> in <paramref name="modelDir"/> (default
    /// &lt;hub dir&gt;/checkpoints), downloading it when missing. <paramref name="checkHash"/> takes
    /// the expected SHA-256 prefix from the file name (name-&lt;hex&gt;.ext). A legacy zip checkpoint
    /// (one member) is expanded beside it and the expanded file's path is returned, as torch loads it.
    /// A file already there is reused without a request; one recorded from another URL is refused.
    /// </summary>
    public string GetCheckpointPath(string url, string? modelDir = null, string? fileName = null, bool checkHash = false,
        bool progress = true, CancellationToken cancellationToken = default) =>
        GetCheckpointAsync(url, modelDir, fileName, checkHash, progress, cancellationToken).GetAwaiter().GetResult().Path;

    /// <inheritdoc cref="GetCheckpointPath"/>
    public Task<HubFile> GetCheckpointAsync(string url, string? modelDir = null, string? fileName = null, bool checkHash = false,
        bool progress = true, CancellationToken cancellationToken = default)
    {
        var folder = modelDir is null ? Cache.CheckpointsFolder : Path.GetFullPath(HubDirectory.ExpandUser(modelDir));
        Directory.CreateDirectory(folder); // torch: makedirs(model_dir, exist_ok=True)
        return SaveOneAsync(new SaveFileRequest(url)
        {
            Destination = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar,
            FileName = fileName,
            CheckHash = checkHash,
            Expand = true,
        }, progress, cancellationToken);
    }

    /// <summary>Save-HubFile for one request, with its progress reported through <see cref="Feedback"/>.</summary>
    public async Task<HubFile> SaveFileAsync(SaveFileRequest request, CancellationToken cancellationToken = default) =>
        await SaveOneAsync(request, progress: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Validates a request and says where the file would go, touching neither disk nor network (for -WhatIf).</summary>
    public SavePlan PlanSave(SaveFileRequest request) => FileSaver.Resolve(request, Cache.CheckpointsFolder);

    /// <summary>A batch of saves sharing a throttle and an overall progress bar (Save-HubFile).</summary>
    public DownloadBatch CreateDownloadBatch(int throttleLimit) => new(this, throttleLimit);

    private async Task<HubFile> SaveOneAsync(SaveFileRequest request, bool progress, CancellationToken cancellationToken)
    {
        if (!progress) return await SaveFileCoreAsync(request, null, cancellationToken).ConfigureAwait(false);
        using var batch = CreateDownloadBatch(1);
        try
        {
            return await batch.StartAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            batch.Complete();
        }
    }

    internal Task<HubFile> SaveFileCoreAsync(SaveFileRequest request, FileDownloader.ProgressHandler? progress, CancellationToken cancellationToken)
    {
        var saver = new FileSaver(Options.Downloads ?? new DownloadOptions(), new Http.RedirectFollower(Options.ResolveHttp()), Feedback, Cache.CheckpointsFolder);
        return saver.SaveAsync(request, progress, cancellationToken);
    }
}
