using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Http;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Http;

/// <summary>
/// Mirror rules: the request goes to the mirror, the original URL names the file, decides the hash
/// rule and is what records keep; the token follows the URL actually requested.
/// </summary>
public sealed class MirrorRuleTests : HubTestBase, IAsyncLifetime
{
    private FileServer _origin = null!;
    private FileServer _mirror = null!;

    public async Task InitializeAsync()
    {
        SetEnvironment("GITHUB_TOKEN", null);
        SetEnvironment("GITHUB_SERVER_URL", null);
        SetEnvironment("GITHUB_API_URL", null);
        SetEnvironment("TORCHHUB_OFFLINE", null);
        SetEnvironment(MirrorRule.Variable, null);
        SetEnvironment("TORCHHUB_TORCHVISION_WEIGHTS_URL", null);
        _origin = await FileServer.StartAsync();
        _mirror = await FileServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _origin.DisposeAsync();
        await _mirror.DisposeAsync();
    }

    private sealed class Messages : IHubFeedback
    {
        public List<string> Verbose { get; } = [];
        void IHubFeedback.Verbose(string message) { lock (Verbose) Verbose.Add(message); }
        public void Warning(string message) { }
        public void Progress(HubProgress progress) { }
        public bool Confirm(string query, string caption) => false;
    }

    private Hub HubWith(HttpOptions http, IHubFeedback? feedback = null) => new(new HubOptions
    {
        HubDirectory = HubDir,
        Http = http with { RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 1 },
        Feedback = feedback ?? SilentFeedback.Instance,
    });

    [Fact]
    public void Route_TakesTheLongestPrefix_AppendsTheRest_AndMatchesWholeFolders()
    {
        var rules = MirrorRule.ParseList(
            "https://download.pytorch.org/models=https://store.example/pt;  https://download.pytorch.org/models/special/=https://other.example/s/\nhttps://github.com/=http://127.0.0.1:9/gh/");
        Assert.Equal(3, rules.Count);
        Assert.Equal("https://download.pytorch.org/models/", rules[0].Prefix.AbsoluteUri); // a folder: '/' added
        Assert.Equal("https://store.example/pt/", rules[0].Target.AbsoluteUri);

        Assert.Equal("https://store.example/pt/resnet18-f37072fd.pth?x=1",
            MirrorRule.Route(rules, new Uri("https://download.pytorch.org/models/resnet18-f37072fd.pth?x=1"))!.AbsoluteUri);
        Assert.Equal("https://other.example/s/a.pth", MirrorRule.Route(rules, new Uri("https://download.pytorch.org/models/special/a.pth"))!.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:9/gh/acme/zoo/zipball/0123", MirrorRule.Route(rules, new Uri("https://github.com/acme/zoo/zipball/0123"))!.AbsoluteUri);
        Assert.Null(MirrorRule.Route(rules, new Uri("https://download.pytorch.org/models-old/a.pth"))); // not a prefix folder-wise
        Assert.Null(MirrorRule.Route(rules, new Uri("http://download.pytorch.org/models/a.pth")));      // another scheme is another origin
        Assert.Empty(MirrorRule.ParseList("  "));
    }

    [Theory]
    [InlineData("https://download.pytorch.org/models/")]                      // no target
    [InlineData("https://download.pytorch.org/models/=ftp://store/models/")] // not http(s)
    [InlineData("models/=https://store/models/")]                            // not absolute
    [InlineData("https://a/=https://store/x/?sig=1")]                          // a query in a folder rule
    public void InvalidRules_AreInvalidMirrorRule(string text)
    {
        var ex = Assert.Throws<HubException>(() => MirrorRule.ParseList(text));
        Assert.Equal(HubErrorIds.InvalidMirrorRule, ex.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidArgument, ex.Category);
        Assert.NotNull(ex.RecommendedAction);
    }

    [Fact]
    public void TheEnvironment_IsReadOnce_ParameterRulesComeFirst_AndTheTorchVisionVariableIsARule()
    {
        SetEnvironment(MirrorRule.Variable, $"{_origin.Url("models/")}={_mirror.Url("env/")} https://github.com/={_mirror.Url("gh/")}");
        SetEnvironment("TORCHHUB_TORCHVISION_WEIGHTS_URL", _mirror.Url("tv"));
        var given = new[] { new MirrorRule(_origin.Url("models/"), _mirror.Url("param/")) };
        var options = new HubOptions { Http = HttpOptions.FromEnvironment(null, given) }.WithEnvironmentDefaults();
        SetEnvironment(MirrorRule.Variable, null); // read once: later changes do not matter
        var http = options.ResolveHttp();

        Assert.Equal(_mirror.Url("param/x.pth"), MirrorRule.Route(http.Mirrors, new Uri(_origin.Url("models/x.pth")))!.AbsoluteUri);
        Assert.Equal(_mirror.Url("gh/a/b"), MirrorRule.Route(http.Mirrors, new Uri("https://github.com/a/b"))!.AbsoluteUri);
        Assert.Equal(_mirror.Url("tv/resnet18-f37072fd.pth"),
            MirrorRule.Route(http.Mirrors, new Uri("https://download.pytorch.org/models/resnet18-f37072fd.pth"))!.AbsoluteUri);

        SetEnvironment(MirrorRule.Variable, "not-a-rule");
        Assert.Equal(HubErrorIds.InvalidMirrorRule, Assert.Throws<HubException>(() => HttpOptions.FromEnvironment()).ErrorId);
    }

    [Fact]
    public async Task ADownload_GoesToTheMirror_TheOriginIsNeverAsked_AndTheFileKeepsItsOriginalNameAndRecord()
    {
        var data = FileServer.RandomBytes(300_000, seed: 7);
        var sha = FileServer.Sha256(data);
        var name = $"net-{sha[..8]}.pth";
        _origin.Add("models/" + name, data);
        _mirror.Add("store/pytorch-models/" + name, data);
        var original = _origin.Url("models/" + name);
        var messages = new Messages();
        var hub = HubWith(new HttpOptions { Mirrors = [new MirrorRule(_origin.Url("models/"), _mirror.Url("store/pytorch-models/"))] }, messages);

        var file = await hub.GetCheckpointAsync(original, checkHash: true); // the hash rule comes from the original name

        Assert.Equal(Path.Combine(HubDir, "checkpoints", name), file.Path);
        Assert.Equal(sha, file.Sha256);
        Assert.Empty(_origin.Requests);
        Assert.Equal(1, _mirror.RequestCount("store/pytorch-models/" + name));
        var record = FileRecord.Load(Path.Combine(HubDir, "checkpoints", ".torchhub", name + ".json"))!;
        Assert.Equal(original, record.Url);
        Assert.Contains(messages.Verbose, m => m.Contains("Mirror", StringComparison.Ordinal) && m.Contains(_mirror.Url("store/pytorch-models/" + name), StringComparison.Ordinal));

        // Cached: asked again under the original URL (with or without the rule), nobody is asked.
        Assert.True((await HubWith(new HttpOptions()).GetCheckpointAsync(original)).FromCache);
        Assert.Empty(_origin.Requests);
        Assert.Single(_mirror.Requests);
    }

    [Fact]
    public async Task AFileMissingOnTheMirror_NamesTheMirror_AndLeavesNothingInTheCache()
    {
        var hub = HubWith(new HttpOptions { Mirrors = [new MirrorRule(_origin.Url("models/"), _mirror.Url("store/"))] });
        _origin.Add("models/a.pth", new byte[10]);

        var ex = await Assert.ThrowsAsync<HubException>(() => hub.GetCheckpointAsync(_origin.Url("models/a.pth")));

        Assert.Equal(HubErrorIds.DownloadNotFound, ex.ErrorId);
        Assert.Contains(_mirror.Url("store/a.pth"), ex.Message);
        Assert.Empty(_origin.Requests);
        Assert.False(File.Exists(Path.Combine(HubDir, "checkpoints", "a.pth")));
    }

    [Fact]
    public async Task TheToken_GoesToTheMirrorOnlyWhenTheMirrorIsAPlaceTheTokenMayGo()
    {
        var data = new byte[1000];
        _origin.Add("gh/w.pth", data);
        _mirror.Add("m/w.pth", data);
        var rule = new MirrorRule(_origin.Url("gh/"), _mirror.Url("m/"));

        // The origin is a configured GitHub root (loopback HTTP is allowed for stand-ins): it would get the token...
        await HubWith(new HttpOptions { Token = "ghp_secret", TokenOrigins = [new Uri(_origin.BaseUrl)] })
            .DownloadUrlToFileAsync(_origin.Url("gh/w.pth"), Temp.Combine("direct.pth"));
        Assert.Equal("Bearer ghp_secret", _origin.Requests.Single().Authorization);

        // ...but the mirror is not one, so the request that goes there carries none.
        await HubWith(new HttpOptions { Token = "ghp_secret", TokenOrigins = [new Uri(_origin.BaseUrl)], Mirrors = [rule] })
            .DownloadUrlToFileAsync(_origin.Url("gh/w.pth"), Temp.Combine("mirrored.pth"));
        Assert.Single(_origin.Requests);
        Assert.Equal("", _mirror.Requests.Single().Authorization);

        // Configured for it (the mirror is itself a token origin, e.g. a GitHub Enterprise host): it gets it.
        await HubWith(new HttpOptions { Token = "ghp_secret", TokenOrigins = [new Uri(_mirror.BaseUrl)], Mirrors = [rule] })
            .DownloadUrlToFileAsync(_origin.Url("gh/w.pth"), Temp.Combine("configured.pth"));
        Assert.Equal("Bearer ghp_secret", _mirror.Requests.Last().Authorization);
    }
}
