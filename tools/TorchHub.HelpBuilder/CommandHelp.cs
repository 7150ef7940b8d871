using System.Collections.Generic;

namespace TorchHub.HelpBuilder;

/// <summary>One cmdlet's help as a PlatyPS (schema 2.0.0) Markdown page describes it.</summary>
public sealed class CommandHelp
{
    public required string Name { get; init; }
    public Dictionary<string, string> FrontMatter { get; } = new(System.StringComparer.OrdinalIgnoreCase);
    public string Synopsis { get; set; } = "";
    public List<string> Description { get; } = new();
    /// <summary>Parameter-set names in the order of the SYNTAX section's headings.</summary>
    public List<string> SyntaxSets { get; } = new();
    public List<ExampleHelp> Examples { get; } = new();
    public List<ParameterHelp> Parameters { get; } = new();
    public List<TypeHelp> Inputs { get; } = new();
    public List<TypeHelp> Outputs { get; } = new();
    public List<string> Notes { get; } = new();
    public List<LinkHelp> Links { get; } = new();
    /// <summary>Whether the page has a CommonParameters heading (PlatyPS's marker for [&lt;CommonParameters&gt;]).</summary>
    public bool SupportsCommonParameters { get; set; }

    public string? OnlineVersion => FrontMatter.TryGetValue("online version", out var v) && v.Length > 0 ? v : null;
}

public sealed class ExampleHelp
{
    public required string Title { get; init; }
    public List<string> Code { get; } = new();
    public List<string> Remarks { get; } = new();
}

public sealed class ParameterHelp
{
    public required string Name { get; init; }
    public List<string> Description { get; } = new();
    public string Type { get; set; } = "Object";
    public List<string> ParameterSets { get; } = new();
    public List<string> Aliases { get; } = new();
    public bool Required { get; set; }
    public string Position { get; set; } = "Named";
    public string DefaultValue { get; set; } = "None";
    public string PipelineInput { get; set; } = "False";
    public bool Globbing { get; set; }

    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";
    public bool InAllSets => ParameterSets.Count == 0 || ParameterSets.Contains("(All)");
}

public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

public sealed record LinkHelp(string Text, string Uri);
