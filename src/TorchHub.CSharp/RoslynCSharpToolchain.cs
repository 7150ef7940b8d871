using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchHub.Hubconf.CSharp;

namespace TorchHub.Hubconf.CSharp.Roslyn;

/// <summary>
/// Roslyn behind <see cref="ICSharpToolchain"/>. Created by TorchHub.Core through reflection
/// inside the private "TorchHub.Roslyn" load context; only TorchHub.Core types cross back.
/// </summary>
internal sealed class RoslynCSharpToolchain : ICSharpToolchain
{
    // The SDK's implicit usings for a class library, so hubconf.cs reads like a file of a
    // normal project with ImplicitUsings on (documented in the hubconf.cs convention).
    private const string GlobalUsings =
        "global using global::System;\nglobal using global::System.Collections.Generic;\nglobal using global::System.IO;\n" +
        "global using global::System.Linq;\nglobal using global::System.Threading;\nglobal using global::System.Threading.Tasks;\n";

    private static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.Parse);

    public CSharpHubconfSyntax ParseHubconf(string text, string path) =>
        HubconfSyntaxReader.Read(CSharpSyntaxTree.ParseText(text, ParseOptions, path));

    public CSharpCompileResult Compile(CSharpCompileRequest request, CancellationToken cancellationToken)
    {
        var trees = request.Sources
            .Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path, cancellationToken: cancellationToken))
            .Append(CSharpSyntaxTree.ParseText(GlobalUsings, ParseOptions, "<implicit usings>", cancellationToken: cancellationToken))
            .ToList();
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Concat(request.ReferencePaths.Select(p => MetadataReference.CreateFromFile(p)));
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true);
        var compilation = CSharpCompilation.Create(request.AssemblyName, trees, references, options);

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, cancellationToken: cancellationToken);
        var diagnostics = emitted.Diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .OrderByDescending(d => d.Severity)
            .ThenBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .Select(ToDiagnostic)
            .ToList();
        return new CSharpCompileResult(emitted.Success ? image.ToArray() : null, diagnostics);
    }

    internal static CSharpDiagnostic ToDiagnostic(Diagnostic d)
    {
        var span = d.Location.GetMappedLineSpan();
        var file = string.IsNullOrEmpty(span.Path) ? "<references>" : span.Path;
        return new CSharpDiagnostic(file, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1,
            d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), d.Severity == DiagnosticSeverity.Error);
    }
}
