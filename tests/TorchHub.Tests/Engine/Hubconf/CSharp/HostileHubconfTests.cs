using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Hubconf;
using TorchHub.Hubconf.CSharp;
using TorchHub.Hubconf.Python;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Hubconf.CSharp;

/// <summary>
/// Hub repositories built to hurt the readers and the compiler: they must fail with a clear
/// error (never crash the process or hang), and Ctrl+C (a cancelled token) must return control.
/// </summary>
public sealed class HostileHubconfTests : HubTestBase
{
    internal static string NestedParentheses(int depth) =>
        "public static class Hub\n{\n    public static int deep() => " + new string('(', depth) + "1" + new string(')', depth) + ";\n}\n";

    private sealed class RecordingFeedback : IHubFeedback
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public void Verbose(string message) { }

        public void Warning(string message) => Warnings.Enqueue(message);

        public void Progress(HubProgress progress) { }

        public bool Confirm(string query, string caption) => throw new NonInteractiveException("no user");
    }

    /// <summary>Runs <paramref name="action"/>, failing the test (not hanging the host) if it takes longer than <paramref name="limit"/>.</summary>
    private static T Within<T>(TimeSpan limit, Func<T> action)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(limit), $"did not return within {limit.TotalSeconds} s");
        return task.GetAwaiter().GetResult();
    }

    [Fact]
    public void HubconfCs_With30000NestedParentheses_IsAParseError_NotACrash()
    {
        Temp.Write("repo/hubconf.cs", NestedParentheses(30_000));
        var ex = Assert.Throws<HubException>(() => new CSharpHubconfReader().Read(HubRepository.OpenLocal(Temp.Combine("repo"))));
        Assert.Equal(HubErrorIds.HubconfParseError, ex.ErrorId);
        Assert.Equal(HubErrorCategory.ParserError, ex.Category);
        Assert.Contains("30001 levels deep on line 3", ex.Message); // the class body, then the parentheses
    }

    [Fact]
    public void HubconfCs_With30000NestedParentheses_ThroughGetHubEntrypoint_IsAnErrorRecord()
    {
        Temp.Write("repo/hubconf.cs", NestedParentheses(30_000));
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-HubEntrypoint -LiteralPath $p", new System.Collections.Generic.Dictionary<string, object?> { ["p"] = Temp.Combine("repo") });
        var error = Assert.Single(r.AllErrors);
        Assert.StartsWith(HubErrorIds.HubconfParseError + ",", error.FullyQualifiedErrorId);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void HubconfCs_NestedJustBelowTheLimit_StillLists_OnTheReadersOwnStack()
    {
        Temp.Write("repo/hubconf.cs", NestedParentheses(CSharpNesting.MaxDepth - 1));
        var listing = new CSharpHubconfReader().Read(HubRepository.OpenLocal(Temp.Combine("repo")));
        Assert.Equal(["deep"], listing.Entrypoints.Select(e => e.Name));
    }

    [Theory]
    [InlineData("// ((((((((\nclass A { }", 1)]
    [InlineData("class A { string s = \"((((((\"; char c = '('; }", 1)]
    [InlineData("class A { string s = @\"(\"\"((\"; string r = \"\"\"\n(((\n\"\"\"; }", 1)]
    [InlineData("class A { void M() { var x = ((1)); } }", 4)]
    public void NestingDepth_SkipsCommentsAndLiterals(string text, int expected)
    {
        Assert.Equal(expected, CSharpNesting.Deepest(text).Depth);
    }

    [Fact]
    public void PythonHubconf_ThatIsAFifo_IsRefusedAtOnce()
    {
        Directory.CreateDirectory(Temp.Combine("repo"));
        var fifo = Temp.Combine("repo", "hubconf.py");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]))!) mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo));

        var ex = Within(TimeSpan.FromSeconds(30), () => Assert.Throws<HubException>(() => new PythonHubconfReader().Read(HubRepository.OpenLocal(Temp.Combine("repo")))));
        Assert.Equal(HubErrorIds.HubconfNotAFile, ex.ErrorId);
        Assert.Contains("not a regular file", ex.Message);
    }

    [Theory]
    [InlineData("hubconf.py")]
    [InlineData("hubconf.cs")]
    public void Hubconf_LinkedToDevZero_IsRefused_NotReadUntilMemoryRunsOut(string file)
    {
        Directory.CreateDirectory(Temp.Combine("repo"));
        File.CreateSymbolicLink(Temp.Combine("repo", file), "/dev/zero");
        var repo = HubRepository.OpenLocal(Temp.Combine("repo"));
        var ex = Within(TimeSpan.FromSeconds(30), () => Assert.Throws<HubException>(() => new Hub().GetListing(repo)));
        Assert.Equal(HubErrorIds.HubconfNotAFile, ex.ErrorId);
    }

    [Fact]
    public void SourceFile_LargerThanTheCap_IsHubconfTooLarge_AndALinkToARegularFileReads()
    {
        var big = Temp.Write("big.py", new string('#', 5000));
        var ex = Assert.Throws<HubException>(() => SourceFile.ReadAllBytes(big, "big.py", maxBytes: 4096));
        Assert.Equal(HubErrorIds.HubconfTooLarge, ex.ErrorId);
        Assert.Equal(HubErrorCategory.LimitsExceeded, ex.Category);

        var link = Temp.Combine("link.py");
        File.CreateSymbolicLink(link, big);
        Assert.Equal(5000, SourceFile.ReadAllBytes(link, "link.py").Length);
        Assert.Equal(HubErrorIds.HubconfNotFound, Assert.Throws<HubException>(() => SourceFile.ReadAllBytes(Temp.Combine("none.py"), "none.py")).ErrorId);
    }

    [Fact]
    public void DedicatedThread_CancelledWork_ThatIgnoresTheToken_ReturnsControlAndWarns()
    {
        var feedback = new RecordingFeedback();
        using var release = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DedicatedThread.Run("test", feedback, f => { f.Verbose("started"); release.Wait(); return 1; }, cancel.Token, stillRunning: "still running"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(["still running"], feedback.Warnings);
        release.Set(); // the abandoned thread ends; nothing it does later may throw into the process
    }

    [Fact]
    public void DedicatedThread_ForwardsReportsAndRethrowsTheWorksOwnException()
    {
        var feedback = new RecordingFeedback();
        Assert.Equal(42, DedicatedThread.Run("test", feedback, f => { f.Warning("from the worker"); return 42; }, CancellationToken.None));
        Assert.Equal(["from the worker"], feedback.Warnings);
        var ex = Assert.Throws<HubException>(() => DedicatedThread.Run<int>("test", feedback,
            _ => throw new HubException(HubErrorIds.EntrypointFailed, HubErrorCategory.InvalidOperation, "boom"), CancellationToken.None));
        Assert.Equal("boom", ex.Message);
    }

    [Fact]
    public void EndlessEntrypoint_CancelledToken_ReturnsControlWithAWarning()
    {
        Temp.Write("repo/hubconf.cs", """
            public static class Hub
            {
                /// <summary>Never returns and never looks at the token.</summary>
                public static int spin()
                {
                    System.IO.File.WriteAllText(System.IO.Path.Combine(TorchHub.Hubconf.CSharp.HubContext.Current.RepositoryPath, "started"), "");
                    while (true) System.Threading.Thread.Sleep(20);
                }
            }
            """);
        var feedback = new RecordingFeedback();
        var hub = new Hub(new HubOptions { Feedback = feedback });
        var repo = HubRepository.OpenLocal(Temp.Combine("repo"));
        using var cancel = new CancellationTokenSource();
        var started = Temp.Combine("repo", "started");
        _ = Task.Run(async () =>
        {
            while (!File.Exists(started)) await Task.Delay(20);
            cancel.Cancel();
        });

        Within(TimeSpan.FromMinutes(3), () => Assert.ThrowsAny<OperationCanceledException>(() => hub.Load(repo, "spin", cancellationToken: cancel.Token)));

        Assert.Contains(feedback.Warnings, w => w.Contains("'spin'") && w.Contains("keeps running in the background"));
    }

    [Fact]
    public void Compile_CancelledMidway_StopsAtOnce()
    {
        // About 20,000 methods: seconds of Roslyn work, cancelled after the first half second.
        var source = new StringBuilder("public static class Hub\n{\n    public static int entry() => 1;\n");
        for (var i = 0; i < 20_000; i++) source.Append($"    public static int m{i}(int x) {{ var s = 0; for (var j = 0; j < x; j++) s += j * {i} % 7; return s + \"{i}\".Length; }}\n");
        source.Append("}\n");
        var request = new CSharpCompileRequest("bomb", [new CSharpSource("hubconf.cs", source.ToString())], [.. HubconfReferences.Base.Select(r => r.Path)]);
        var feedback = new RecordingFeedback();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            RoslynToolchain.Compile(HubRepository.OpenLocal(Temp.Path), request, feedback, cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"cancelling took {watch.Elapsed}");
    }
}
