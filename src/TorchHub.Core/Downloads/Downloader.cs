using System.IO;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Http;

namespace TorchHub.Downloads;

/// <summary>
/// What the facade and the other parts of the engine download through: torch.hub's download_url_to_file and
/// the checkpoint half of load_state_dict_from_url, Save-HubFile's single saves and batches,
/// all through one <see cref="FileSaver"/> that reports to one feedback.
/// </summary>
internal sealed class Downloader
{
    private readonly FileSaver _saver;
    private readonly IHubFeedback _feedback;
    private readonly string _checkpointsFolder;

    public Downloader(HubOptions options, CacheLayout cache, IHubFeedback? feedback = null)
    {
        _feedback = feedback ?? options.Feedback;
        _checkpointsFolder = cache.CheckpointsFolder;
        _saver = new FileSaver(options.Downloads ?? new DownloadOptions(), new RedirectFollower(options.ResolveHttp()), _feedback.Verbose, _checkpointsFolder, cache.Locks);
    }

    /// <summary>Where the request's file would go, touching neither disk nor network (for -WhatIf).</summary>
    public SavePlan Plan(SaveFileRequest request) => FileSaver.Resolve(request, _checkpointsFolder);

    /// <summary>A batch of saves sharing a throttle and an overall progress bar.</summary>
    public DownloadBatch CreateBatch(int throttleLimit) => new(_saver, _feedback, throttleLimit);

    /// <summary>One save; with <paramref name="progress"/>, reported as a batch of one.</summary>
    public async Task<HubFile> SaveAsync(SaveFileRequest request, bool progress, CancellationToken cancellationToken)
    {
        if (!progress) return await _saver.SaveAsync(request, null, cancellationToken).ConfigureAwait(false);
        using var batch = CreateBatch(1);
        try
        {
            return await batch.StartAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            batch.Complete();
        }
    }

    /// <summary>torch.hub.download_url_to_file: always downloads, replacing a file at <paramref name="dst"/>.</summary>
    public Task<HubFile> DownloadUrlToFileAsync(string url, string dst, string? hashPrefix, bool progress, CancellationToken cancellationToken)
    {
        if (Directory.Exists(HubDirectory.ExpandUser(dst)))
            throw new HubException(HubErrorIds.DestinationIsDirectory, HubErrorCategory.InvalidArgument,
                $"The destination '{dst}' is a folder; download_url_to_file needs a file path.", dst);
        return SaveAsync(new SaveFileRequest(url) { Destination = dst, HashPrefix = hashPrefix, ReuseExisting = false }, progress, cancellationToken);
    }

    /// <summary>The cached checkpoint for <paramref name="url"/> in <paramref name="modelDir"/> (null: checkpoints/), downloaded when missing.</summary>
    public Task<HubFile> GetCheckpointAsync(string url, string? modelDir, string? fileName, bool checkHash, bool progress, CancellationToken cancellationToken)
    {
        var folder = modelDir is null ? _checkpointsFolder : Path.GetFullPath(HubDirectory.ExpandUser(modelDir));
        Directory.CreateDirectory(folder); // torch: makedirs(model_dir, exist_ok=True)
        return SaveAsync(new SaveFileRequest(url)
        {
            Destination = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar,
            FileName = fileName,
            CheckHash = checkHash,
            Expand = true,
        }, progress, cancellationToken);
    }
}
