using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchHub.Hubconf.CSharp.Roslyn;

/// <summary>
/// The hubconf.cs convention, read from the syntax tree alone: public static methods of
/// public static classes are entrypoints (names starting with '_' are helpers); a static
/// member named <c>dependencies</c> lists assembly names; XML doc comments are the help.
/// </summary>
internal static class HubconfSyntaxReader
{
    public const string DependenciesMember = "dependencies";

    public static CSharpHubconfSyntax Read(SyntaxTree tree)
    {
        var result = new CSharpHubconfSyntax();
        result.Errors.AddRange(tree.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(RoslynCSharpToolchain.ToDiagnostic));

        var root = tree.GetCompilationUnitRoot();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in root.DescendantNodes().OfType<ClassDeclarationSyntax>())
        {
            // Top-level classes only (in a namespace or none): nested classes are helpers.
            if (type.Parent is not (CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)) continue;
            if (!IsPublicStatic(type.Modifiers)) continue;

            foreach (var member in type.Members)
            {
                switch (member)
                {
                    case MethodDeclarationSyntax method when IsPublicStatic(method.Modifiers):
                        AddEntrypoint(result, seen, type, method);
                        break;
                    case FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.StaticKeyword) || field.Modifiers.Any(SyntaxKind.ConstKeyword):
                        foreach (var v in field.Declaration.Variables.Where(v => v.Identifier.ValueText == DependenciesMember))
                            AddDependencies(result, v.Initializer);
                        break;
                    case PropertyDeclarationSyntax property when property.Identifier.ValueText == DependenciesMember && property.Modifiers.Any(SyntaxKind.StaticKeyword):
                        AddDependencies(result, (SyntaxNode?)property.ExpressionBody ?? property.Initializer);
                        break;
                }
            }
        }
        return result;
    }

    private static bool IsPublicStatic(SyntaxTokenList modifiers) =>
        modifiers.Any(SyntaxKind.PublicKeyword) && modifiers.Any(SyntaxKind.StaticKeyword);

    private static void AddEntrypoint(CSharpHubconfSyntax result, HashSet<string> seen, ClassDeclarationSyntax type, MethodDeclarationSyntax method)
    {
        var name = method.Identifier.ValueText;
        if (name.StartsWith('_')) return;
        var line = method.Identifier.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        if (method.TypeParameterList is not null)
        {
            result.Warnings.Add($"hubconf.cs line {line}: '{name}' is generic; generic methods are not entrypoints.");
            return;
        }
        if (method.ParameterList.Parameters.FirstOrDefault()?.Modifiers.Any(SyntaxKind.ThisKeyword) == true)
            return; // extension methods are helpers
        if (!seen.Add(name))
        {
            result.Warnings.Add($"hubconf.cs line {line}: '{name}' is defined more than once; Import-HubModel picks the overload whose parameters fit the arguments.");
            return;
        }

        var parameters = method.ParameterList.Parameters.Select(p => new HubParameter(
            p.Identifier.ValueText,
            p.Type?.ToString(),
            p.Default?.Value.ToString(),
            p.Modifiers.Any(SyntaxKind.ParamsKeyword) ? HubParameterKind.VarPositional : HubParameterKind.Normal)).ToList();

        // The reflection name (Namespace.Outer.Inner.Class) so the runtime finds the same class.
        var className = string.Join(".", type.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Reverse()
            .Select(ns => ns.Name.ToString()).Append(type.Identifier.ValueText));
        result.Entrypoints.Add(new CSharpEntrypointSyntax(name, className, method.ReturnType.ToString(), parameters, line, DocCommentReader.Read(method)));
    }

    private static void AddDependencies(CSharpHubconfSyntax result, SyntaxNode? initializer)
    {
        if (initializer is null) return;
        foreach (var literal in initializer.DescendantNodes().OfType<LiteralExpressionSyntax>())
        {
            if (literal.IsKind(SyntaxKind.StringLiteralExpression) && !result.Dependencies.Contains(literal.Token.ValueText))
                result.Dependencies.Add(literal.Token.ValueText);
        }
    }
}
