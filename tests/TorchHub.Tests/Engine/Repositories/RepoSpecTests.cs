using TorchHub.Errors;
using TorchHub.Repositories;
using Xunit;

namespace TorchHub.Tests.Engine.Repositories;

public sealed class RepoSpecTests
{
    [Theory]
    [InlineData("a/b:c", "a", "b", "c")]
    [InlineData("pytorch/vision", "pytorch", "vision", null)]
    [InlineData("ailzhang/torchhub_example:ci/test_slash", "ailzhang", "torchhub_example", "ci/test_slash")]
    [InlineData("o/r:refs/heads/x", "o", "r", "refs/heads/x")]
    [InlineData("facebookresearch/dino.v2:4e2c216", "facebookresearch", "dino.v2", "4e2c216")]
    public void Parse_MatchesTorchHub(string text, string owner, string name, string? @ref)
    {
        var spec = RepoSpec.Parse(text);
        Assert.Equal(owner, spec.Owner);
        Assert.Equal(name, spec.Name);
        Assert.Equal(@ref, spec.Ref);
        Assert.Equal(text, spec.ToString());
    }

    [Fact]
    public void FolderName_ReplacesSlashesInTheRef()
    {
        var spec = RepoSpec.Parse("ailzhang/torchhub_example:ci/test_slash");
        Assert.Equal("ailzhang_torchhub_example_ci_test_slash", spec.FolderName(spec.Ref!));
        Assert.Equal("ailzhang_torchhub_example", spec.TrustKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("noslash")]
    [InlineData("a/b/c")]
    [InlineData("a/b:c:d")]
    [InlineData("a/b:")]
    [InlineData("/b")]
    [InlineData("a/")]
    [InlineData("a/..")]
    [InlineData("a b/c")]
    [InlineData("a/b:has space")]
    [InlineData("a/b:..")]
    [InlineData("a/b:x/../y")]
    [InlineData("a/b:back\\slash")]
    [InlineData("a/b:/lead")]
    [InlineData("a/b:-option")]
    public void Parse_RejectsMalformedSpecs(string text)
    {
        var ex = Assert.Throws<HubException>(() => RepoSpec.Parse(text));
        Assert.Equal(HubErrorIds.InvalidRepositorySpec, ex.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidArgument, ex.Category);
        Assert.Contains("owner/repo", ex.Message);
    }
}
