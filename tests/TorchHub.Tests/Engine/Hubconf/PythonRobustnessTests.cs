using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using TorchHub.Errors;
using TorchHub.Hubconf;
using TorchHub.Hubconf.Python;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Hubconf;

/// <summary>Bad and unusual input: a clear HubException naming file and line, or a correct answer; never a hang or crash.</summary>
public sealed class PythonRobustnessTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private HubconfListing ReadBytes(byte[] bytes, string? folder = null)
    {
        var dir = _temp.Combine(folder ?? Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "hubconf.py"), bytes);
        return new PythonHubconfReader().Read(HubRepository.OpenLocal(dir));
    }

    private HubconfListing ReadText(string text) => ReadBytes(Encoding.UTF8.GetBytes(text));

    private HubException Fails(string text, string id = HubErrorIds.HubconfParseError) => FailsBytes(Encoding.UTF8.GetBytes(text), id);

    private HubException FailsBytes(byte[] bytes, string id)
    {
        var ex = Assert.Throws<HubException>(() => ReadBytes(bytes));
        Assert.Equal(id, ex.ErrorId);
        Assert.Contains("hubconf.py", ex.Message);
        return ex;
    }

    [Theory]
    [InlineData("x = (\n", "line 1: '(' was never closed")]
    [InlineData("x = 1\ny = ]\n", "line 2: unmatched ']'")]
    [InlineData("x = (1, 2]\n", "line 1: closing parenthesis ']' does not match opening parenthesis '('")]
    [InlineData("x = 'abc\n", "line 1: unterminated string literal (detected at line 1)")]
    [InlineData("def f():\n    \"\"\"never closed\n\n\n", "line 2: unterminated triple-quoted string literal (detected at line 5)")]
    [InlineData("def f():\nreturn 1\n", "line 2: expected an indented block after function definition on line 1")]
    [InlineData("if True:\n        a = 1\n    b = 2\n", "line 3: unindent does not match any outer indentation level")]
    [InlineData("if True:\n\ta = 1\n        b = 2\n", "line 3: inconsistent use of tabs and spaces in indentation")]
    [InlineData("  x = 1\n", "line 1: unexpected indent")]
    [InlineData("x = 1 $ 2\n", "line 1: invalid character '$' (U+0024)")]
    [InlineData("hello world\n", "line 1: invalid syntax")]
    [InlineData("print 'python 2'\n", "line 1: invalid syntax")]
    [InlineData("x = \"\\N{NO SUCH CHARACTER NAME}\"\n", "line 1: (unicode error)")]
    [InlineData("x = '\\x4'\n", "truncated \\xXX escape")]
    [InlineData("x = 1 \\ y\n", "unexpected character after line continuation character")]
    [InlineData("x = b'a' 'b'\n", "cannot mix bytes and nonbytes literals")]
    [InlineData("@decorator\nx = 1\n", "a decorator must be followed by def or class")]
    public void SyntaxErrors_NameFileAndLine(string source, string expected)
    {
        var ex = Fails(source);
        Assert.Contains(expected, ex.Message);
        Assert.Equal(HubErrorCategory.ParserError, ex.Category);
    }

    [Fact]
    public void TenThousandNestedBrackets_FailLikeCPython_WithoutStackOverflow()
    {
        var ex = Fails("x = " + new string('(', 10_000) + "1" + new string(')', 10_000) + "\n");
        Assert.Contains("line 1: too many nested parentheses", ex.Message);
        var nested = Fails("def f():\n    return " + new string('[', 10_000) + new string(']', 10_000) + "\n");
        Assert.Contains("line 2: too many nested parentheses", nested.Message);
    }

    [Fact]
    public void NestedBracketsWithinCPythonsLimit_AreFine()
    {
        var listing = ReadText("X = " + new string('[', 150) + new string(']', 150) + "\ndef ok():\n    'fine'\n");
        Assert.Equal("fine", listing.GetHelp("ok")!.Docstring);
    }

    [Fact]
    public void Garbage_AndBinaryBytes_AreClearErrors()
    {
        var random = new Random(1234);
        var binary = new byte[64 * 1024];
        random.NextBytes(binary);
        var ex = Assert.Throws<HubException>(() => ReadBytes(binary));
        Assert.Contains(ex.ErrorId, new[] { HubErrorIds.HubconfEncodingError, HubErrorIds.HubconfParseError });
        Assert.Contains("hubconf.py', line ", ex.Message);

        var nul = Fails("def f():\n    pass\n\0\n");
        Assert.Contains("line 3: source code cannot contain null bytes", nul.Message);

        var printable = new StringBuilder();
        for (var i = 0; i < 20_000; i++) printable.Append((char)random.Next(32, 127));
        Assert.Throws<HubException>(() => ReadText(printable.ToString()));
    }

    [Fact]
    public void NonUtf8Bytes_WithoutCookie_AreAnEncodingError()
    {
        var bytes = Encoding.Latin1.GetBytes("def f():\n    '''caf\u00e9'''\n");
        var ex = FailsBytes(bytes, HubErrorIds.HubconfEncodingError);
        Assert.Contains("line 2: Non-UTF-8 code starting with '\\xe9'", ex.Message);
        Assert.Equal(HubErrorCategory.InvalidData, ex.Category);
    }

    [Fact]
    public void UnknownCodingCookie_IsAnEncodingError()
    {
        var ex = FailsBytes(Encoding.ASCII.GetBytes("# -*- coding: klingon -*-\nx = 1\n"), HubErrorIds.HubconfEncodingError);
        Assert.Contains("unknown encoding: klingon", ex.Message);
    }

    [Fact]
    public void CookieOnSecondLine_AndCp1252_AreHonoured()
    {
        var bytes = Encoding.Latin1.GetBytes("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ndef f():\n    '''\u00e9\u00e8'''\n");
        Assert.Equal("\u00e9\u00e8", ReadBytes(bytes).GetHelp("f")!.Docstring);
    }

    [Fact]
    public void ADecoratorWithAHugeDocExpression_IsNotFollowed_WithoutOverflowingTheStack()
    {
        // 20,000 'or's and 'not's: the decorator reader bounds its recursion and gives up with a note.
        var ors = string.Join(" or ", Enumerable.Repeat("fn.__doc__", 20_000));
        var nots = string.Concat(Enumerable.Repeat("not ", 20_000));
        var listing = ReadText($"def deco(fn):\n    fn.__doc__ = {ors}\n    return fn\n\ndef deco2(fn):\n    if {nots}fn.__doc__:\n        fn.__doc__ = 'x'\n    return fn\n\n"
                               + "@deco\ndef model():\n    'Doc.'\n\n@deco2\ndef other():\n    'Other.'\n");
        var model = listing.Entrypoints.Single(e => e.Name == "model");
        Assert.Contains(model.Notes, n => n.Contains("nested too deeply") && n.Contains("may differ from torch.hub.help"));
        Assert.Equal("Doc.", listing.GetHelp("model")!.Docstring);
        Assert.Contains(listing.Entrypoints, e => e.Name == "other"); // the 'not's are counted in a loop, not recursed into
    }

    [Fact]
    public void FiftyMegabyteFile_IsReadCorrectly_InReasonableTime()
    {
        var sb = new StringBuilder(52 * 1024 * 1024);
        sb.Append("def first(a=1):\n    '''First.'''\n\n");
        var comment = "# " + new string('c', 1000) + "\n";
        while (sb.Length < 25 * 1024 * 1024) sb.Append(comment);
        sb.Append("BIG = '''");
        var chunk = new string('s', 1000) + "\n";
        while (sb.Length < 50 * 1024 * 1024) sb.Append(chunk);
        sb.Append("'''\n\ndef last():\n    \"Last.\"\n");
        var stopwatch = Stopwatch.StartNew();
        var listing = ReadText(sb.ToString());
        stopwatch.Stop();
        Assert.Equal(["first", "last"], listing.Entrypoints.Select(e => e.Name));
        Assert.Equal("Last.", listing.GetHelp("last")!.Docstring);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void MissingHubconf_IsHubconfNotFound()
    {
        var dir = _temp.Combine("empty");
        Directory.CreateDirectory(dir);
        var ex = Assert.Throws<HubException>(() => new Hub().GetListing(HubRepository.OpenLocal(dir)));
        Assert.Equal(HubErrorIds.HubconfNotFound, ex.ErrorId);
        Assert.Equal(HubErrorCategory.ObjectNotFound, ex.Category);
    }

    [Fact]
    public void ParseErrorInAnImportedModule_NamesThatFile()
    {
        var dir = _temp.Combine("imports-broken");
        _temp.Write("imports-broken/hubconf.py", "from pkg.mod import f\n");
        _temp.Write("imports-broken/pkg/__init__.py", "");
        _temp.Write("imports-broken/pkg/mod.py", "def f():\n    pass\n\ndef g(:\n");
        var ex = Assert.Throws<HubException>(() => new PythonHubconfReader().Read(HubRepository.OpenLocal(dir)));
        Assert.Equal(HubErrorIds.HubconfParseError, ex.ErrorId);
        Assert.Contains("pkg/mod.py', line 4", ex.Message);
    }

    [Fact]
    public void UndecidableNames_AreWarnings_NotSilentAnswers()
    {
        var listing = ReadText("""
            import sys
            from somewhere_else import *
            from . import sibling
            model = build_model()
            for name in ["a", "b"]:
                globals()[name] = lambda: None
                def looped():
                    pass
            setattr(sys.modules[__name__], "c", print)
            def __dir__():
                return []
            """);
        var warnings = string.Join("\n", listing.Warnings);
        Assert.Contains("from somewhere_else import *", warnings);
        Assert.Contains("globals()", warnings);
        Assert.Contains("setattr(sys.modules", warnings);
        Assert.Contains("__dir__", warnings);
        Assert.Contains("'model'", warnings);
        Assert.Contains("relative import with no known parent package", warnings);
        Assert.False(listing.Entrypoints.Single(e => e.Name == "looped").IsCertain);
        Assert.DoesNotContain(listing.Entrypoints, e => e.Name == "model");
    }

    [Fact]
    public void SoftKeywords_OneLiners_AndMainGuardElse()
    {
        var listing = ReadText("""
            import sys
            match sys.platform:
                case "linux":
                    def on_linux():
                        "Linux."
                case _:
                    pass
            match = 3
            type Alias = int
            if sys.version_info >= (3, 8): quick = lambda: 1
            class Tiny: "Tiny class."
            if __name__ == '__main__': never = lambda: 0
            else: always = lambda: 2
            def f(): return 1
            """);
        var byName = listing.Entrypoints.ToDictionary(e => e.Name);
        Assert.Equal(["Tiny", "always", "f", "on_linux", "quick"], byName.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.False(byName["on_linux"].IsCertain);
        Assert.False(byName["quick"].IsCertain);
        Assert.True(byName["always"].IsCertain);
        Assert.Equal("Tiny class.", listing.GetHelp("Tiny")!.Docstring);
    }

    [Fact]
    public void ImportCycles_Terminate_WithAWarning()
    {
        var dir = _temp.Combine("cycle");
        _temp.Write("cycle/hubconf.py", "from a import *\nfrom b import g as gg\n");
        _temp.Write("cycle/a.py", "from b import *\ndef f():\n    'F.'\n");
        _temp.Write("cycle/b.py", "from a import *\nfrom a import f as g\n");
        var listing = new PythonHubconfReader().Read(HubRepository.OpenLocal(dir));
        Assert.Contains(listing.Entrypoints, e => e.Name == "f");
        Assert.Equal("F.", listing.GetHelp("gg")!.Docstring);
        Assert.Contains(listing.Warnings, w => w.Contains("import cycle"));
    }

    [Fact]
    public void MissingImportedName_IsAWarning()
    {
        var dir = _temp.Combine("missing-name");
        _temp.Write("missing-name/hubconf.py", "from models import nothing_here\n");
        _temp.Write("missing-name/models.py", "def something():\n    pass\n");
        var listing = new PythonHubconfReader().Read(HubRepository.OpenLocal(dir));
        Assert.Empty(listing.Entrypoints);
        Assert.Contains(listing.Warnings, w => w.Contains("nothing_here") && w.Contains("ImportError"));
    }

    [Fact]
    public void PackagesModulesAndNamespacePackages_AreResolvedInTheRepository()
    {
        var dir = _temp.Combine("packages");
        _temp.Write("packages/hubconf.py", "from nspkg.mod import ns_model\nfrom pkg import sub\nfrom pkg.sub import from_sub\nimport pkg.sub as alias_module\nfrom_pkg = pkg_attr\nfrom pkg import *\n");
        _temp.Write("packages/nspkg/mod.py", "def ns_model():\n    'In a namespace package.'\n");
        _temp.Write("packages/pkg/__init__.py", "from .sub import from_sub as pkg_attr\n__all__ = ['pkg_attr']\n__all__ += ['sub']\n");
        _temp.Write("packages/pkg/sub.py", "def from_sub():\n    'From sub.'\n");
        var listing = new PythonHubconfReader().Read(HubRepository.OpenLocal(dir));
        Assert.Equal(["from_pkg", "from_sub", "ns_model", "pkg_attr"], listing.Entrypoints.Select(e => e.Name));
        Assert.Equal("In a namespace package.", listing.GetHelp("ns_model")!.Docstring);
        Assert.Equal("From sub.", listing.GetHelp("pkg_attr")!.Docstring);
    }

    [Fact]
    public void ParseCache_ReusesUnchangedFiles_AndSeesChanges()
    {
        var path = _temp.Write("cached/hubconf.py", "def a():\n    'A.'\n");
        var first = PyModuleCache.Get(path, "hubconf.py", default);
        Assert.Same(first, PyModuleCache.Get(path, "hubconf.py", default));
        File.WriteAllText(path, "def b():\n    'B, a longer file.'\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        var second = PyModuleCache.Get(path, "hubconf.py", default);
        Assert.NotSame(first, second);
        Assert.Equal("b", ((PyBindEvent)second.Events[0]).Name);
    }

    [Fact]
    public void ListingCache_SeesChangedFiles_AndNewModulesThatChangeImports()
    {
        var dir = _temp.Combine("listing-cache");
        _temp.Write("listing-cache/hubconf.py", "from models import *\n");
        var module = _temp.Write("listing-cache/models.py", "def a():\n    pass\n");
        var reader = new PythonHubconfReader();
        var repo = HubRepository.OpenLocal(dir);
        var first = reader.Read(repo);
        Assert.Same(first, reader.Read(repo));
        Assert.Equal(["a"], first.Entrypoints.Select(e => e.Name));

        File.WriteAllText(module, "def a2():\n    pass\n");
        File.SetLastWriteTimeUtc(module, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(["a2"], reader.Read(repo).Entrypoints.Select(e => e.Name));

        // A package of the same name now wins over models.py, as in Python.
        _temp.Write("listing-cache/models/__init__.py", "def from_package():\n    pass\n");
        Assert.Equal(["from_package"], reader.Read(repo).Entrypoints.Select(e => e.Name));
    }

    [Fact]
    public void Help_UnknownName_SuggestsCloseMatches()
    {
        var repo = HubRepository.OpenLocal(PythonFixtureTests.Fixture("vision"));
        var ex = Assert.Throws<HubException>(() => new Hub().Help(repo, "resnet19"));
        Assert.Equal(HubErrorIds.EntrypointNotFound, ex.ErrorId);
        Assert.Equal(HubErrorCategory.ObjectNotFound, ex.Category);
        Assert.StartsWith("Cannot find callable resnet19 in hubconf", ex.Message);
        Assert.Contains("Did you mean 'resnet18'", ex.Message);
    }
}
