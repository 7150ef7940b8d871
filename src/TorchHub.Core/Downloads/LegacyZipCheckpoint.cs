using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using TorchHub.Errors;

namespace TorchHub.Downloads;

/// <summary>
/// torch.hub's legacy checkpoint format (before PyTorch 1.6): a zip holding exactly one file,
/// extracted into the model folder before loading. Files saved by torch.save since 1.6 are
/// zips with several members and are left alone, as torch does.
/// Safe-extraction rules (the same as for repository archives; this small class exists until
/// the archives room's SafeZipExtractor is merged): the member name must be relative, without
/// '..' segments, drive letters or a symlink mode, must land inside the folder, may not
/// decompress to more than its declared size, and is written to a temp file then renamed.
/// </summary>
internal static class LegacyZipCheckpoint
{
    /// <summary>Extracts the single member next to the zip and returns its path; null when the file is not a legacy zip.</summary>
    public static string? TryExpand(string zipPath, string folder)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException)
        {
            return null; // not a zip
        }
        using (archive)
        {
            var files = archive.Entries.Where(e => !e.FullName.EndsWith('/') && !e.FullName.EndsWith('\\')).ToList();
            if (files.Count != 1) return null;
            var entry = files[0];
            var name = entry.FullName.Replace('\\', '/');
            var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var unixMode = (entry.ExternalAttributes >> 16) & 0xF000;
            if (name.StartsWith('/') || name.Contains(':') || segments.Length == 0 || segments.Any(s => s is ".." or ".") || unixMode == 0xA000)
                throw Invalid(zipPath, $"its member '{entry.FullName}' is not a plain relative file name");

            var root = Path.GetFullPath(folder);
            var target = Path.GetFullPath(Path.Combine(root, Path.Combine(segments)));
            if (!target.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw Invalid(zipPath, $"its member '{entry.FullName}' would be written outside '{root}'");
            if (string.Equals(target, Path.GetFullPath(zipPath), StringComparison.Ordinal))
                throw Invalid(zipPath, "its member has the zip's own name");

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var tmp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".partial");
            try
            {
                using (var input = entry.Open())
                using (var output = File.Create(tmp))
                {
                    var buffer = new byte[1 << 20];
                    long total = 0;
                    int n;
                    while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        total += n;
                        if (total > entry.Length) throw Invalid(zipPath, "its member is larger than it declares");
                        output.Write(buffer, 0, n);
                    }
                }
                File.Move(tmp, target, overwrite: true);
            }
            catch (InvalidDataException ex)
            {
                throw Invalid(zipPath, ex.Message);
            }
            finally
            {
                FileDownloader.TryDelete(tmp);
            }
            return target;
        }
    }

    private static HubException Invalid(string zip, string why) =>
        new(HubErrorIds.InvalidLegacyZip, HubErrorCategory.InvalidData, $"The legacy zip checkpoint '{zip}' cannot be expanded: {why}.", zip);
}
