using System;
using System.IO;

namespace TorchHub.Tests.Hosting;

/// <summary>Where the repository and the built module are, found from the test assembly's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The module folder the build lays out (the same one users import).</summary>
    public static string ModuleManifest => Path.Combine(Root, "out", "TorchHub", "TorchHub.psd1");

    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TorchHub.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("TorchHub.sln not found above " + AppContext.BaseDirectory);
    }
}
