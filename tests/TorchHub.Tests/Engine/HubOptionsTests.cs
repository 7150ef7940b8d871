using System;
using TorchHub.Downloads;
using TorchHub.Http;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine;

/// <summary>The environment is read once, into a Hub's options, when the Hub is created; explicit options win.</summary>
public sealed class HubOptionsTests : HubTestBase
{
    [Fact]
    public void AHub_ReadsTheEnvironmentOnce_WhenCreated()
    {
        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", "7");
        SetEnvironment("TORCHHUB_DOWNLOAD_PARTS", "3");
        SetEnvironment("GITHUB_API_URL", "https://ghe.example.test/api/v3");
        SetEnvironment("GITHUB_SERVER_URL", null);
        var hub = new Hub();

        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", "9");
        SetEnvironment("TORCHHUB_DOWNLOAD_PARTS", "5");
        Assert.Equal(TimeSpan.FromSeconds(7), hub.Options.Http!.Timeout);
        Assert.Equal(3, hub.Options.Downloads!.Parts);
        Assert.Equal(new Uri("https://ghe.example.test/api/v3"), hub.Options.GitHubApiUrl);
        Assert.Equal(new Uri("https://github.com"), hub.Options.GitHubServerUrl);

        // A new Hub (each cmdlet call makes one) sees the change; so does FromEnvironment.
        Assert.Equal(TimeSpan.FromSeconds(9), new Hub().Options.Http!.Timeout);
        Assert.Equal(5, HubOptions.FromEnvironment().Downloads!.Parts);
    }

    [Fact]
    public void ExplicitOptions_WinOverTheEnvironment()
    {
        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", "7");
        SetEnvironment("GITHUB_API_URL", "https://ghe.example.test/api/v3");
        var hub = new Hub(new HubOptions
        {
            Http = new HttpOptions { Timeout = TimeSpan.FromSeconds(1) },
            Downloads = new DownloadOptions { Parts = 1 },
            GitHubApiUrl = new Uri("http://127.0.0.1:1/api/"),
        });
        Assert.Equal(TimeSpan.FromSeconds(1), hub.Options.Http!.Timeout);
        Assert.Equal(1, hub.Options.Downloads!.Parts);
        Assert.Equal(new Uri("http://127.0.0.1:1/api/"), hub.Options.GitHubApiUrl);
    }
}
