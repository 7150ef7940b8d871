using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Downloads;
using TorchHub.Tests.Engine.Downloads;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

public sealed class SaveHubFileCmdletTests : DownloadTestBase
{
    private const string Cmd = "TorchHub.PowerShell.Commands.SaveHubFileCommand";

    public SaveHubFileCmdletTests()
    {
        // The cmdlet reads its download settings from the environment: fast retries for fault tests.
        SetEnvironment("TORCHHUB_DOWNLOAD_RETRY_DELAY_MS", "10");
        SetEnvironment("TORCHHUB_DOWNLOAD_STALL_SECONDS", "2");
    }

    private static Dictionary<string, object?> Vars(params (string, object?)[] pairs) => pairs.ToDictionary(p => p.Item1, p => p.Item2);

    [Fact]
    public void SavesIntoCheckpoints_AndOutputsHubFile()
    {
        var data = FileServer.RandomBytes(200_000);
        Server.Add("w/resnet18-x.pth", data);
        using var ps = new PowerShellSession();
        var r = ps.Run("Save-HubFile -Uri $u -HashPrefix $h", Vars(("u", Server.Url("w/resnet18-x.pth")), ("h", FileServer.Sha256(data)[..10]))).ThrowIfFailed();
        var file = r.Objects<HubFile>().Single();
        Assert.Equal(Path.Combine(Checkpoints, "resnet18-x.pth"), file.Path);
        Assert.Equal(FileServer.Sha256(data), file.Sha256);
        Assert.Equal(data.Length, file.Length);
        Assert.False(file.FromCache);
        Assert.True(file.Elapsed > TimeSpan.Zero);
        Assert.Equal(new Uri(Server.Url("w/resnet18-x.pth")), file.Uri);

        var again = ps.Run("Save-HubFile $u", Vars(("u", Server.Url("w/resnet18-x.pth")))).ThrowIfFailed().Objects<HubFile>().Single();
        Assert.True(again.FromCache);
        Assert.Equal(1, Server.RequestCount("w/resnet18-x.pth"));
    }

    [Fact]
    public void PipelineByValueAndByPropertyName_SeveralAtOnce()
    {
        for (var i = 0; i < 5; i++) Server.Add($"f{i}.bin", FileServer.RandomBytes(50_000, i));
        using var ps = new PowerShellSession();
        var r = ps.Run("$urls | Save-HubFile -Destination $d -ThrottleLimit 3",
            Vars(("urls", Enumerable.Range(0, 3).Select(i => Server.Url($"f{i}.bin")).ToArray()), ("d", Temp.Combine("out") + "/"))).ThrowIfFailed();
        Assert.Equal(new[] { "f0.bin", "f1.bin", "f2.bin" }, r.Objects<HubFile>().Select(f => f.Name).ToArray()); // input order
        Assert.All(r.Objects<HubFile>(), f => Assert.Equal(Temp.Combine("out", f.Name), f.Path));

        var byName = ps.Run("@([pscustomobject]@{ Url = $a }, [pscustomobject]@{ Uri = $b }) | Save-HubFile -Destination $d",
            Vars(("a", Server.Url("f3.bin")), ("b", Server.Url("f4.bin")), ("d", Temp.Combine("out")))).ThrowIfFailed();
        Assert.Equal(new[] { "f3.bin", "f4.bin" }, byName.Objects<HubFile>().Select(f => f.Name).ToArray());
    }

    [Fact]
    public void EachBadUri_IsItsOwnError_TheOthersGoOn()
    {
        var good = FileServer.RandomBytes(10_000);
        Server.Add("good.pth", good);
        Server.Add("blob/main/page.pth", "<html></html>"u8.ToArray(), "text/html");
        using var ps = new PowerShellSession();
        var r = ps.Run("Save-HubFile -Uri $list", Vars(("list", new[]
        {
            "not a url", "ftp://host/x.pth", Server.Url("missing.pth"), Server.Url("blob/main/page.pth"), Server.Url("good.pth"),
        })));
        Assert.Null(r.TerminatingError);
        Assert.Equal(new[]
        {
            "InvalidUri," + Cmd, "UnsupportedUriScheme," + Cmd, "DownloadNotFound," + Cmd, "UnexpectedHtmlResponse," + Cmd,
        }, r.Errors.Select(e => e.FullyQualifiedErrorId).ToArray());
        Assert.Equal(new[] { ErrorCategory.InvalidArgument, ErrorCategory.InvalidArgument, ErrorCategory.ObjectNotFound, ErrorCategory.InvalidData },
            r.Errors.Select(e => e.CategoryInfo.Category).ToArray());
        Assert.Equal("good.pth", r.Objects<HubFile>().Single().Name);
        AssertOnlyFiles(Checkpoints, "good.pth");
    }

    [Fact]
    public void HashMismatch_IsInvalidResult_WithTorchsMessage_AndNothingSaved()
    {
        var data = FileServer.RandomBytes(10_000);
        var sha = FileServer.Sha256(data);
        Server.Add("m-0123456789.pth", data);
        using var ps = new PowerShellSession();
        var r = ps.Run("Save-HubFile $u -CheckHash", Vars(("u", Server.Url("m-0123456789.pth"))));
        var error = r.Errors.Single();
        Assert.Equal("HashMismatch," + Cmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Equal($"invalid hash value (expected \"0123456789\", got \"{sha}\")", error.Exception.Message);
        AssertOnlyFiles(Checkpoints);
    }

    [Fact]
    public void NameConflict_SuggestsFileName()
    {
        Server.Add("v1/model.pth", FileServer.RandomBytes(100, 1));
        Server.Add("v2/model.pth", FileServer.RandomBytes(100, 2));
        using var ps = new PowerShellSession();
        ps.Run("Save-HubFile $a", Vars(("a", Server.Url("v1/model.pth")))).ThrowIfFailed();
        var r = ps.Run("Save-HubFile $b", Vars(("b", Server.Url("v2/model.pth"))));
        var error = r.Errors.Single();
        Assert.Equal("CheckpointNameConflict," + Cmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Contains("-FileName", error.ErrorDetails.RecommendedAction);
        var named = ps.Run("Save-HubFile $b -FileName model-v2.pth", Vars(("b", Server.Url("v2/model.pth")))).ThrowIfFailed().Objects<HubFile>().Single();
        Assert.Equal(Path.Combine(Checkpoints, "model-v2.pth"), named.Path);
    }

    [Fact]
    public void WhatIf_DownloadsNothing()
    {
        Server.Add("w.pth", FileServer.RandomBytes(100));
        using var ps = new PowerShellSession();
        var r = ps.Run("Save-HubFile $u -WhatIf", Vars(("u", Server.Url("w.pth")))).ThrowIfFailed();
        Assert.Empty(r.Output);
        Assert.Equal(0, Server.RequestCount("w.pth"));
        Assert.False(Directory.Exists(Checkpoints));
    }

    [Fact]
    public void Destination_AsAFile_AsAFolder_AndAsAnExistingFolderName()
    {
        var data = FileServer.RandomBytes(1000);
        Server.Add("d.pth", data);
        using var ps = new PowerShellSession();
        var asFile = ps.Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{Temp.Path}'); Save-HubFile $u -Destination ./named.bin",
            Vars(("u", Server.Url("d.pth")))).ThrowIfFailed().Objects<HubFile>().Single();
        Assert.Equal(Temp.Combine("named.bin"), asFile.Path); // relative to the PowerShell location

        Directory.CreateDirectory(Temp.Combine("dir", "d.pth"));
        var r = ps.Run("Save-HubFile $u -Destination $d", Vars(("u", Server.Url("d.pth")), ("d", Temp.Combine("dir"))));
        Assert.Equal("DestinationIsDirectory," + Cmd, r.Errors.Single().FullyQualifiedErrorId);
    }

    [Fact]
    public void Progress_PerFileAndOverall_AlwaysCompleted_AndSilenceable()
    {
        var f = Server.Add("p.bin", FileServer.RandomBytes(400_000));
        f.TrickleBytes = 32 * 1024;
        f.TrickleDelay = TimeSpan.FromMilliseconds(40);
        Server.Add("q.bin", FileServer.RandomBytes(1000));
        using var ps = new PowerShellSession();
        var r = ps.Run("Save-HubFile $a, $b -Destination $d", Vars(("a", Server.Url("p.bin")), ("b", Server.Url("q.bin")), ("d", Temp.Combine("o") + "/"))).ThrowIfFailed();
        var overall = r.Progress.Where(p => p.ParentActivityId == -1).ToList();
        var perFile = r.Progress.Where(p => p.ParentActivityId != -1).ToList();
        Assert.Contains(perFile, p => p.RecordType == ProgressRecordType.Processing && p.StatusDescription.Contains(" of ") && p.StatusDescription.Contains("/s"));
        Assert.Equal(2, perFile.Count(p => p.RecordType == ProgressRecordType.Completed));
        Assert.Contains(overall, p => p.StatusDescription.Contains("files"));
        Assert.Equal(ProgressRecordType.Completed, overall.Last().RecordType);
        Assert.True(r.Progress.Count < 100, $"{r.Progress.Count} progress records");

        var quiet = ps.Run("$ProgressPreference = 'SilentlyContinue'; Save-HubFile $a -Destination $d -Force", Vars(("a", Server.Url("q.bin")), ("d", Temp.Combine("o") + "/"))).ThrowIfFailed();
        Assert.Empty(quiet.Progress);
    }

    [Fact]
    public void Stop_CancelsPromptly_AndLeavesAResumablePartial()
    {
        var data = FileServer.RandomBytes(1 << 20);
        var f = Server.Add("stop.pth", data);
        f.TrickleBytes = 16 * 1024;
        f.TrickleDelay = TimeSpan.FromMilliseconds(30);
        using var session = new PowerShellSession();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = session.Runspace;
        ps.AddCommand("Save-HubFile").AddParameter("Uri", Server.Url("stop.pth"));
        var async = ps.BeginInvoke();
        var partial = Path.Combine(Checkpoints, ".torchhub", "stop.pth.partial");
        var wait = System.Diagnostics.Stopwatch.StartNew();
        while (!(File.Exists(partial) && new FileInfo(partial).Length > 0) && wait.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(20);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"stop took {clock.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.False(File.Exists(Path.Combine(Checkpoints, "stop.pth")));
        Assert.True(new FileInfo(partial).Length > 0);

        f.TrickleDelay = TimeSpan.Zero;
        var file = session.Run("Save-HubFile $u", Vars(("u", Server.Url("stop.pth")))).ThrowIfFailed().Objects<HubFile>().Single();
        Assert.True(file.Resumed);
        Assert.Equal(data, File.ReadAllBytes(file.Path));
    }

    [Fact]
    public void Expand_UnpacksALegacyZipCheckpoint()
    {
        var inner = FileServer.RandomBytes(3000);
        Server.Add("legacy.zip", DownloaderTests.Zip(("legacy.pt", inner)));
        using var ps = new PowerShellSession();
        var file = ps.Run("Save-HubFile $u -Expand", Vars(("u", Server.Url("legacy.zip")))).ThrowIfFailed().Objects<HubFile>().Single();
        Assert.Equal(Path.Combine(Checkpoints, "legacy.pt"), file.Path);
        Assert.Equal(Path.Combine(Checkpoints, "legacy.zip"), file.ExpandedFrom);
        Assert.Equal(inner, File.ReadAllBytes(file.Path));
    }

    [Fact]
    public void Module_ExportsTheCmdlet_WithHelpfulMetadata()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("$c = Get-Command Save-HubFile; $c.OutputType[0].Type.FullName; $c.Parameters['Uri'].Aliases; [bool]$c.Parameters['WhatIf']").ThrowIfFailed();
        Assert.Equal(new object[] { typeof(HubFile).FullName!, "Url", true }, r.Output.Select(o => o.BaseObject).ToArray());
    }
}
