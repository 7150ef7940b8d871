using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Repositories;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// Loads TorchHub.CSharp.dll and Roslyn into a private, non-collectible load context named
/// "TorchHub.Roslyn". PowerShell 7 ships its own Microsoft.CodeAnalysis (for Add-Type) on its
/// trusted-platform list; loading ours into the default context would either fail (the
/// default context serves pwsh's older copy) or shadow it. Here both live side by side:
/// Microsoft.CodeAnalysis* and the reference-assembly package always load privately from
/// TorchHub's folder; TorchHub.Core and the framework come from the default context, so the
/// toolchain's results are TorchHub.Core types.
/// </summary>
internal static class RoslynToolchain
{
    public const string BridgeAssemblyName = "TorchHub.CSharp";
    public const string BridgeTypeName = "TorchHub.Hubconf.CSharp.Roslyn.RoslynCSharpToolchain";
    public const string LoadContextName = "TorchHub.Roslyn";

    private static readonly Lazy<ICSharpToolchain> _instance = new(Create);
    private static readonly Lazy<string> _identity = new(ComputeIdentity);

    /// <summary>The toolchain (loads Roslyn on first use, once per process).</summary>
    public static ICSharpToolchain Instance => _instance.Value;

    /// <summary>True once Roslyn has been loaded in this process.</summary>
    public static bool IsLoaded => _instance.IsValueCreated;

    /// <summary>The load context Roslyn lives in (null until loaded).</summary>
    public static AssemblyLoadContext? LoadContext { get; private set; }

    /// <summary>The folder holding TorchHub.CSharp.dll and Roslyn: TorchHub.Core's own folder.</summary>
    public static string Folder { get; } = Path.GetDirectoryName(typeof(RoslynToolchain).Assembly.Location) ?? AppContext.BaseDirectory;

    /// <summary>
    /// Names the compiler's inputs that are not sources (bridge, Roslyn and reference-assembly
    /// versions), read from the files without loading them, for the compile cache key.
    /// </summary>
    public static string Identity => _identity.Value;

    /// <summary>
    /// The toolchain's syntax reading of <paramref name="text"/>, on a thread with a known stack
    /// (see <see cref="DedicatedThread"/>), after a nesting-depth check: a hubconf.cs of 30,000
    /// nested parentheses is an error, never a crash of the process.
    /// </summary>
    public static CSharpHubconfSyntax Parse(HubRepository repository, string text, string path, CancellationToken cancellationToken)
    {
        if (CSharpNesting.Deepest(text) is var (depth, line) && depth > CSharpNesting.MaxDepth)
            throw TooDeep(repository, path, $"its brackets nest {depth} levels deep on line {line}");
        return OnOwnThread(repository, path, "TorchHub hubconf.cs reader", SilentFeedback.Instance,
            _ => Instance.ParseHubconf(text, path), cancellationToken, stillRunning: null);
    }

    /// <summary>The toolchain's compile, on a thread with a known stack; cancelling stops waiting at once.</summary>
    public static CSharpCompileResult Compile(HubRepository repository, CSharpCompileRequest request, IHubFeedback feedback, CancellationToken cancellationToken)
    {
        foreach (var source in request.Sources)
            if (CSharpNesting.Deepest(source.Text) is var (depth, line) && depth > CSharpNesting.MaxDepth)
                throw TooDeep(repository, source.Path, $"its brackets nest {depth} levels deep on line {line}");
        return OnOwnThread(repository, HubconfSources.FileName, "TorchHub hubconf.cs compiler", feedback,
            _ => Instance.Compile(request, cancellationToken), cancellationToken,
            stillRunning: $"Stopped waiting for the compilation of hubconf.cs of '{repository.DisplayName}'; the compiler finishes in the background (its result is not used).");
    }

    private static T OnOwnThread<T>(HubRepository repository, string path, string name, IHubFeedback feedback, Func<IHubFeedback, T> work, CancellationToken cancellationToken, string? stillRunning)
    {
        try
        {
            return DedicatedThread.Run(name, feedback, work, cancellationToken, stillRunning);
        }
        catch (InsufficientExecutionStackException)
        {
            throw TooDeep(repository, path, "it is nested too deeply for the C# compiler");
        }
    }

    private static HubException TooDeep(HubRepository repository, string path, string why) =>
        new(HubErrorIds.HubconfParseError, HubErrorCategory.ParserError,
            $"{path} of '{repository.DisplayName}' cannot be read: {why} (at most {CSharpNesting.MaxDepth}).", repository.DisplayName)
        {
            RecommendedAction = "No real source file nests this deeply; check where the repository's C# files come from.",
        };

    private static ICSharpToolchain Create()
    {
        var bridge = Path.Combine(Folder, BridgeAssemblyName + ".dll");
        if (!File.Exists(bridge))
            throw new HubException(HubErrorIds.CSharpCompilerNotAvailable, HubErrorCategory.NotInstalled,
                $"The C# compiler part of TorchHub ({BridgeAssemblyName}.dll) is missing from '{Folder}'; reinstall the module.", bridge);
        var context = new PrivateContext(Folder);
        LoadContext = context;
        var assembly = context.LoadFromAssemblyPath(bridge);
        var type = assembly.GetType(BridgeTypeName, throwOnError: true)!;
        return (ICSharpToolchain)Activator.CreateInstance(type)!;
    }

    private static string ComputeIdentity()
    {
        var sb = new StringBuilder();
        foreach (var name in new[] { BridgeAssemblyName, "Microsoft.CodeAnalysis", "Microsoft.CodeAnalysis.CSharp", "Basic.Reference.Assemblies.Net100" })
        {
            var path = Path.Combine(Folder, name + ".dll");
            if (!File.Exists(path)) { sb.Append(name).Append(":missing;"); continue; }
            sb.Append(AssemblyName.GetAssemblyName(path).FullName).Append(':').Append(ModuleVersionId.Of(path)).Append(';');
        }
        return sb.ToString();
    }

    private sealed class PrivateContext : AssemblyLoadContext
    {
        private static readonly string[] AlwaysPrivate = ["Microsoft.CodeAnalysis", "Basic.Reference.Assemblies", BridgeAssemblyName];
        private readonly string _folder;

        public PrivateContext(string folder) : base(LoadContextName, isCollectible: false) => _folder = folder;

        protected override Assembly? Load(AssemblyName name)
        {
            var simple = name.Name ?? "";
            var path = Path.Combine(_folder, simple + ".dll");
            if (AlwaysPrivate.Any(p => simple.StartsWith(p, StringComparison.Ordinal)) && File.Exists(path))
                return LoadFromAssemblyPath(path);

            // Anything else is shared (TorchHub.Core, the framework) unless the default context
            // cannot supply the version Roslyn needs (e.g. System.Collections.Immutable on an
            // older runtime): then the copy shipped next to us loads here.
            try
            {
                return Default.LoadFromAssemblyName(name);
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException)
            {
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }
    }
}
