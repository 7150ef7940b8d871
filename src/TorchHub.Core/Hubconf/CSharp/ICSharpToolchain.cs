using System.Collections.Generic;
using System.Threading;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// What TorchHub needs from Roslyn, in types TorchHub.Core owns. The implementation lives in
/// TorchHub.CSharp.dll, loaded with Roslyn into a private load context
/// (<see cref="RoslynToolchain"/>), so no Roslyn type crosses into the default context.
/// </summary>
internal interface ICSharpToolchain
{
    /// <summary>Reads a hubconf.cs statically (syntax tree only, no compilation).</summary>
    CSharpHubconfSyntax ParseHubconf(string text, string path);

    /// <summary>Compiles sources to an assembly image; errors come back as diagnostics.</summary>
    CSharpCompileResult Compile(CSharpCompileRequest request, CancellationToken cancellationToken);
}

/// <summary>What the syntax tree of a hubconf.cs says.</summary>
internal sealed class CSharpHubconfSyntax
{
    public List<CSharpEntrypointSyntax> Entrypoints { get; } = new();

    /// <summary>Assembly names of the static <c>dependencies</c> array (empty when absent).</summary>
    public List<string> Dependencies { get; } = new();

    public List<string> Warnings { get; } = new();

    /// <summary>Syntax errors (the file still lists what could be read).</summary>
    public List<CSharpDiagnostic> Errors { get; } = new();
}

/// <summary>One public static method of a public static class in hubconf.cs.</summary>
internal sealed record CSharpEntrypointSyntax(
    string Name,
    string ClassName,
    string ReturnType,
    IReadOnlyList<HubParameter> Parameters,
    int Line,
    CSharpDocComment? Doc);

/// <summary>The XML documentation comment of an entrypoint, split into its tags.</summary>
internal sealed record CSharpDocComment(
    string? Summary,
    IReadOnlyList<KeyValuePair<string, string>> Params,
    string? Returns,
    IReadOnlyList<string> Examples,
    string? Remarks,
    string Raw);

/// <summary>A compiler message with its place (file relative to the repository, 1-based line and column).</summary>
internal sealed record CSharpDiagnostic(string File, int Line, int Column, string Id, string Message, bool IsError)
{
    public override string ToString() => $"{File}({Line},{Column}): {(IsError ? "error" : "warning")} {Id}: {Message}";
}

/// <summary>One source file: <paramref name="Path"/> as shown in messages, <paramref name="Text"/> its content.</summary>
internal sealed record CSharpSource(string Path, string Text);

internal sealed record CSharpCompileRequest(
    string AssemblyName,
    IReadOnlyList<CSharpSource> Sources,
    IReadOnlyList<string> ReferencePaths);

/// <summary><see cref="Image"/> is null when the compilation failed.</summary>
internal sealed record CSharpCompileResult(byte[]? Image, IReadOnlyList<CSharpDiagnostic> Diagnostics);
