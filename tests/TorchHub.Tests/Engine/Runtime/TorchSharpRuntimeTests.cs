using System;
using System.IO;
using System.Linq;
using TorchHub.Runtime;
using TorchHub.Tensors;
using Xunit;

namespace TorchHub.Tests.Engine.Runtime;

public class TorchSharpRuntimeTests
{
    /// <summary>True when the machine's libstdc++ lacks GLIBCXX_3.4.32 (Debian 12 here).</summary>
    private static bool SystemLibStdCxxIsOld()
    {
        var path = new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" }.First(File.Exists);
        var text = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path));
        return !text.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal);
    }

    [Fact]
    public void LoadsTorchSharpAndComputes()
    {
        var info = TorchSharpRuntime.EnsureLoaded();
        using var ones = TorchSharp.torch.ones(1, 4);
        Assert.Equal(4f, ones.sum().item<float>());
        Assert.Same(info, TorchSharpRuntime.EnsureLoaded());
        Assert.Equal(SystemLibStdCxxIsOld() ? TorchSharpLoadMode.Patched : TorchSharpLoadMode.Direct, info.Mode);
    }

    [Fact]
    public void PatchedCopyLivesInOurCacheAndOriginalIsUntouched()
    {
        var info = TorchSharpRuntime.EnsureLoaded();
        if (info.Mode != TorchSharpLoadMode.Patched)
        {
            Assert.Null(info.Shim); // nothing to fix on this machine: nothing was written
            return;
        }
        Assert.StartsWith(GlibcxxFix.CacheFolder, info.TorchSharpLibrary);
        Assert.NotNull(info.Shim);
        var original = Path.Combine(NativeLocations.NuGetPackagesFolder, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var originalBytes = File.ReadAllBytes(original);
        var patchedBytes = File.ReadAllBytes(info.TorchSharpLibrary!);
        Assert.Equal(originalBytes.Length, patchedBytes.Length);
        // The original still has the strong requirement: patching a copy of it changes exactly one entry.
        var copy = (byte[])originalBytes.Clone();
        Assert.Equal(1, ElfVersionPatcher.MarkVersionWeak(copy, "GLIBCXX_3.4.32"));
        Assert.NotEqual(originalBytes, copy);
        Assert.Equal(patchedBytes, copy);
        // Exactly two bytes' worth (one vna_flags field) differ between original and patched copy.
        Assert.InRange(originalBytes.Where((b, i) => b != patchedBytes[i]).Count(), 1, 2);
    }

    [Fact]
    public void ElfPatcherRejectsNonElf()
    {
        Assert.Throws<FormatException>(() => ElfVersionPatcher.MarkVersionWeak(new byte[100], "GLIBCXX_3.4.32"));
    }
}
