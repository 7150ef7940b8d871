using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Hubconf;
using TorchHub.Hubconf.Python;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Hubconf;

/// <summary>The facade over several readers: a folder with hubconf.py and hubconf.cs lists both.</summary>
public sealed class HubEntrypointFacadeTests : System.IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A test double for the C# reader (written in another room): it publishes one entrypoint per
    /// line of hubconf.cs, so the facade's combination logic can be tested here.
    /// </summary>
    private sealed class LineReader : IHubconfReader
    {
        public HubconfLanguage Language => HubconfLanguage.CSharp;
        public string FileName => "hubconf.cs";

        public HubconfListing Read(HubRepository repository, CancellationToken cancellationToken = default)
        {
            var names = File.ReadAllLines(Path.Combine(repository.Directory, FileName)).Where(l => l.Length > 0).ToList();
            return new HubconfListing
            {
                Language = Language,
                Entrypoints = names.Select(n => new HubEntrypoint { Name = n, RepositoryPath = repository.Directory, Language = Language }).ToList(),
                Dependencies = ["TorchSharp"],
                Warnings = ["from the C# double"],
                GetHelp = n => names.Contains(n) ? new HubHelp { Name = n, Language = Language, Docstring = "C# " + n } : null,
            };
        }
    }

    private static Hub HubWithBoth(List<string> warnings) => new(new HubOptions
    {
        // The real Python reader beside a line-per-name double for hubconf.cs: the facade is under test, not the C# reader.
        HubconfReaders = [new PythonHubconfReader(), new LineReader()],
        Feedback = new CollectingFeedback(warnings),
    });

    private sealed class CollectingFeedback(List<string> warnings) : Feedback.IHubFeedback
    {
        public void Verbose(string message) { }
        public void Warning(string message) => warnings.Add(message);
        public void Progress(Feedback.HubProgress progress) { }
        public bool Confirm(string query, string caption) => false;
    }

    [Fact]
    public void BothHubconfFiles_AreListed_AndLanguageTellsThemApart()
    {
        _temp.Write("both/hubconf.py", "dependencies = ['torch']\ndef shared():\n    'Python shared.'\ndef py_only():\n    pass\n");
        _temp.Write("both/hubconf.cs", "shared\ncs_only\n");
        var warnings = new List<string>();
        var hub = HubWithBoth(warnings);
        var repo = HubRepository.OpenLocal(_temp.Combine("both"));

        var listing = hub.GetListing(repo);
        Assert.Equal(["py_only", "shared", "shared", "cs_only"], listing.Entrypoints.Select(e => e.Name));
        Assert.Equal([HubconfLanguage.Python, HubconfLanguage.Python, HubconfLanguage.CSharp, HubconfLanguage.CSharp], listing.Entrypoints.Select(e => e.Language));
        Assert.Equal(["torch", "TorchSharp"], listing.Dependencies);
        Assert.Contains("from the C# double", warnings);
        Assert.Equal(["py_only", "shared", "shared", "cs_only"], hub.List(repo));

        Assert.Equal("Python shared.", hub.Help(repo, "shared").Docstring);
        Assert.Equal("C# shared", hub.Help(repo, "shared", HubconfLanguage.CSharp).Docstring);
        Assert.Equal("C# cs_only", hub.Help(repo, "cs_only").Docstring);
        var ex = Assert.Throws<HubException>(() => hub.Help(repo, "py_only", HubconfLanguage.CSharp));
        Assert.Equal(HubErrorIds.EntrypointNotFound, ex.ErrorId);
    }

    [Fact]
    public void OnlyHubconfCs_UsesTheOtherReader_AndNeitherIsHubconfNotFound()
    {
        _temp.Write("cs/hubconf.cs", "model\n");
        var hub = HubWithBoth([]);
        Assert.Equal(["model"], hub.List(HubRepository.OpenLocal(_temp.Combine("cs"))));

        Directory.CreateDirectory(_temp.Combine("none"));
        var ex = Assert.Throws<HubException>(() => hub.List(HubRepository.OpenLocal(_temp.Combine("none"))));
        Assert.Equal(HubErrorIds.HubconfNotFound, ex.ErrorId);
        Assert.Contains("hubconf.py or hubconf.cs", ex.Message);
    }
}
