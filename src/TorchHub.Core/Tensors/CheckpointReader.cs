using System;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Runtime;
using TorchHub.Tensors.Pickle;
using TorchHub.Tensors.Readers;

namespace TorchHub.Tensors;

/// <summary>
/// torch.load for .NET, safely: reads a checkpoint file in any of the <see cref="CheckpointFormat"/>s
/// into plain .NET values — dictionaries as <see cref="OrderedDictionary"/>, lists as
/// <c>List&lt;object?&gt;</c>, tuples as <c>object?[]</c>, Python ints as <c>long</c>, floats as
/// <c>double</c>, tensors as TorchSharp tensors on the CPU. Every failure is a
/// <see cref="HubException"/>: UnsafePickle (SecurityError) for a pickle naming a global outside
/// the allow-list, CorruptCheckpoint (InvalidData) for truncated or damaged files,
/// UnsupportedCheckpoint (InvalidData) for files that are not checkpoints.
/// </summary>
internal static class CheckpointReader
{
    /// <summary>Detects the format from the first bytes (and, for zips, the entries).</summary>
    public static CheckpointFormat DetectFormat(string path)
    {
        using var stream = Open(path);
        return Detect(stream, path, out _);
    }

    /// <summary>
    /// Reads a state dict: name → tensor in file order (the one state-dict type, <see cref="OrderedDictionary"/>).
    /// A checkpoint whose top level holds a <c>state_dict</c> dictionary (as many training checkpoints do)
    /// gives that; any other value than a tensor under a name is <see cref="HubErrorIds.UnsupportedCheckpoint"/>.
    /// <paramref name="source"/> names the file in errors (a URL for a download); default: its path.
    /// </summary>
    public static OrderedDictionary ReadStateDict(string path, CheckpointLoadOptions? options = null, IHubFeedback? feedback = null, string? source = null)
    {
        source ??= path;
        var checkpoint = Read(path, options, feedback);
        if (checkpoint is not System.Collections.IDictionary dictionary)
            throw NotAStateDict(source, $"its top level holds {checkpoint?.GetType().Name ?? "null"}, not a dictionary");
        if (dictionary["state_dict"] is System.Collections.IDictionary nested) dictionary = nested;
        var stateDict = dictionary as OrderedDictionary ?? new OrderedDictionary();
        foreach (System.Collections.DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string || entry.Value is not TorchSharp.torch.Tensor)
                throw NotAStateDict(source, $"its entry '{entry.Key}' holds {entry.Value?.GetType().Name ?? "null"}, not a tensor");
            if (!ReferenceEquals(stateDict, dictionary)) stateDict.Add(entry.Key, entry.Value);
        }
        return stateDict;
    }

    private static HubException NotAStateDict(string source, string why) =>
        new(HubErrorIds.UnsupportedCheckpoint, HubErrorCategory.InvalidData, $"'{source}' is not a state dict: {why}.", source)
        {
            RecommendedAction = "Read it as it is with LoadCheckpoint (Import-HubStateDict without -Module).",
        };

    /// <summary>Reads a checkpoint; returns its top-level value.</summary>
    public static object? Read(string path, CheckpointLoadOptions? options = null, IHubFeedback? feedback = null)
    {
        options ??= new CheckpointLoadOptions();
        feedback ??= SilentFeedback.Instance;
        TorchSharpRuntime.EnsureLoaded(feedback); // before any TorchSharp member: its static constructor loads natives
        var device = options.ResolveDevice();
        var maxPickleBytes = options.ResolveMaxPickleBytes();
        try
        {
            return ReadAny(path, device, maxPickleBytes, feedback, nested: false);
        }
        catch (PickleTooLargeException ex)
        {
            throw new HubException(HubErrorIds.CheckpointTooLarge, HubErrorCategory.LimitsExceeded,
                string.Create(CultureInfo.InvariantCulture, $"Refused to load '{path}': its pickle (the part that describes the tensors, not their data) needs more than {ex.Limit:#,0} bytes ") +
                string.Create(CultureInfo.InvariantCulture, $"(at least {ex.Bytes:#,0}). A real checkpoint's pickle is a few megabytes; nothing was loaded."), path, ex)
            {
                RecommendedAction = $"If you trust the file and it really has such a pickle, raise the limit with the {CheckpointLoadOptions.MaxPickleBytesVariable} environment variable (bytes) or CheckpointLoadOptions.MaxPickleBytes.",
            };
        }
        catch (UnsafePickleException ex)
        {
            throw new HubException(HubErrorIds.UnsafePickle, HubErrorCategory.SecurityError,
                $"Refused to load '{path}': its pickle references '{ex.Global}', which a weights file has no reason to use " +
                "(only state-dict types such as collections.OrderedDict and torch._utils._rebuild_tensor_v2 are allowed). Nothing from the file was run.",
                path, ex)
            {
                RecommendedAction = "Only load checkpoints from sources you trust; ask the publisher for a plain state dict or a safetensors file.",
            };
        }
        catch (Exception ex) when (ex is PickleFormatException or EndOfStreamException or InvalidDataException or FormatException or JsonException or InvalidOperationException
                                       or System.Collections.Generic.KeyNotFoundException or OverflowException or ArgumentException)
        {
            throw Corrupt(path, ex);
        }
        catch (NotSupportedException ex)
        {
            throw new HubException(HubErrorIds.UnsupportedCheckpoint, HubErrorCategory.InvalidData,
                $"Cannot load '{path}': {ex.Message}", path, ex);
        }
    }

    private static object? ReadAny(string path, TorchSharp.torch.Device device, long maxPickleBytes, IHubFeedback feedback, bool nested)
    {
        using var stream = Open(path);
        var format = Detect(stream, path, out var zip);
        using var _ = zip;
        feedback.Verbose($"Reading '{path}' as {format}.");
        stream.Position = 0;
        switch (format)
        {
            case CheckpointFormat.TorchZip:
                return TorchZipReader.Read(zip!, TorchZipReader.FindPrefix(zip!)!, device, maxPickleBytes, stream);
            case CheckpointFormat.LegacyPickle:
                return LegacyPickleReader.Read(stream, device, maxPickleBytes);
            case CheckpointFormat.Safetensors:
                return SafetensorsReader.Read(stream, device);
            default:
                if (nested) throw new NotSupportedException("a zip inside torch.hub's legacy zip is not a checkpoint.");
                var entryName = zip!.Entries.Single().FullName;
                zip.Dispose();
                return ReadHubLegacyZip(path, entryName, device, maxPickleBytes, feedback);
        }
    }

    /// <summary>
    /// torch.hub's legacy zip holds one checkpoint file. It is expanded by the one zip extractor
    /// (with its expansion caps) to a private temporary file inside the hub directory (never
    /// $TMPDIR; the entry's own name is never used as a path) and read from there, because the
    /// torch zip format inside needs a seekable file.
    /// </summary>
    private static object? ReadHubLegacyZip(string path, string entryName, TorchSharp.torch.Device device, long maxPickleBytes, IHubFeedback feedback)
    {
        var folder = new Cache.CacheLayout(Cache.HubDirectory.Get().Path).TempFolder;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, "checkpoint-" + Guid.NewGuid().ToString("N") + ".pt");
        try
        {
            if (!Archives.SafeZipExtractor.TryExpandSingleMember(path, temp))
                throw new NotSupportedException("a zip that is neither a torch.save file nor a one-member legacy zip is not a checkpoint.");
            feedback.Verbose($"torch.hub legacy zip: reading its single entry '{entryName}'.");
            return ReadAny(temp, device, maxPickleBytes, feedback, nested: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HubException(HubErrorIds.CheckpointFileNotFound, HubErrorCategory.ObjectNotFound,
                $"Checkpoint file '{path}' does not exist.", path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new HubException(HubErrorIds.CheckpointFileNotFound, HubErrorCategory.PermissionDenied,
                $"Checkpoint file '{path}' cannot be read: {ex.Message}", path, ex);
        }
    }

    private static CheckpointFormat Detect(FileStream stream, string path, out ZipArchive? zip)
    {
        zip = null;
        Span<byte> head = stackalloc byte[16];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        stream.Position = 0;
        if (read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K')
        {
            try
            {
                zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (InvalidDataException ex)
            {
                throw Corrupt(path, ex);
            }
            if (TorchZipReader.FindPrefix(zip) is not null) return CheckpointFormat.TorchZip;
            var files = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToArray();
            if (zip.Entries.Count == 1 && files.Length == 1) return CheckpointFormat.HubLegacyZip;
            zip.Dispose();
            zip = null;
            throw NotACheckpoint(path, "a zip archive that is neither a torch.save checkpoint nor torch.hub's single-file legacy zip");
        }
        if (read >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5) return CheckpointFormat.LegacyPickle;
        if (SafetensorsReader.Looks(head, stream.Length)) return CheckpointFormat.Safetensors;
        throw NotACheckpoint(path, read == 0 ? "the file is empty" : "it is not a torch.save zip, a legacy torch pickle or a safetensors file");
    }

    private static HubException NotACheckpoint(string path, string why) =>
        new(HubErrorIds.UnsupportedCheckpoint, HubErrorCategory.InvalidData, $"'{path}' is not a PyTorch checkpoint: {why}.", path);

    private static HubException Corrupt(string path, Exception ex) =>
        new(HubErrorIds.CorruptCheckpoint, HubErrorCategory.InvalidData,
            $"'{path}' is damaged or truncated: {ex.Message}", path, ex)
        {
            RecommendedAction = "Download the file again (Save-HubFile / Import-HubStateDict -Uri verify hashes with -CheckHash).",
        };
}
