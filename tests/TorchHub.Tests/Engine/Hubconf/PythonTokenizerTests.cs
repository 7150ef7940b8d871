using System.Collections.Generic;
using System.Linq;
using TorchHub.Hubconf.Python;
using Xunit;

namespace TorchHub.Tests.Engine.Hubconf;

public sealed class PythonTokenizerTests
{
    private static List<(PyTokenKind Kind, string Text)> Tokens(string source)
    {
        var t = new PyTokenizer(source);
        var result = new List<(PyTokenKind, string)>();
        while (true)
        {
            var token = t.Next();
            result.Add((token.Kind, t.Text(token)));
            if (token.Kind == PyTokenKind.EndMarker) return result;
        }
    }

    [Fact]
    public void IndentationAndImplicitLineJoining()
    {
        var kinds = Tokens("if x:\n    y = (1,\n  2)\n\n    # comment\nz\n").Select(t => t.Kind).ToList();
        Assert.Equal(new[]
        {
            PyTokenKind.Name, PyTokenKind.Name, PyTokenKind.Op, PyTokenKind.Newline,
            PyTokenKind.Indent, PyTokenKind.Name, PyTokenKind.Op, PyTokenKind.Op, PyTokenKind.Number, PyTokenKind.Op, PyTokenKind.Number, PyTokenKind.Op, PyTokenKind.Newline,
            PyTokenKind.Dedent, PyTokenKind.Name, PyTokenKind.Newline, PyTokenKind.EndMarker,
        }, kinds);
    }

    [Theory]
    [InlineData("0x_1F 1_000.5e-3j .5 0b101 0o17", new[] { "0x_1F", "1_000.5e-3j", ".5", "0b101", "0o17" })]
    [InlineData("a **= b // c -> d := e ... !=", new[] { "a", "**=", "b", "//", "c", "->", "d", ":=", "e", "...", "!=" })]
    [InlineData("rb'x' Rb\"y\" f'{a!r:>{w}}' br'''z'''", new[] { "rb'x'", "Rb\"y\"", "f'{a!r:>{w}}'", "br'''z'''" })]
    [InlineData("f\"{x[\"k\"]}\" f'{{literal}}'", new[] { "f\"{x[\"k\"]}\"", "f'{{literal}}'" })]
    [InlineData("caf\u00e9 = \u0394x", new[] { "caf\u00e9", "=", "\u0394x" })]
    public void Tokens_SplitAsPython(string source, string[] expected)
    {
        var texts = Tokens(source).Where(t => t.Kind is not (PyTokenKind.Newline or PyTokenKind.EndMarker)).Select(t => t.Text);
        Assert.Equal(expected, texts);
    }

    [Fact]
    public void BackslashContinuation_JoinsLines_AndLinesAreCounted()
    {
        var t = new PyTokenizer("x = 1 + \\\n    2\n'''a\nb'''\ny\n");
        var tokens = new List<PyToken>();
        for (var token = t.Next(); token.Kind != PyTokenKind.EndMarker; token = t.Next()) tokens.Add(token);
        Assert.Equal(2, tokens.First(k => k.Kind == PyTokenKind.Newline).Line); // the continuation joined lines 1 and 2
        Assert.Equal(3, tokens.Single(k => k.Kind == PyTokenKind.String).Line);
        Assert.Equal(5, tokens.Last(k => k.Kind == PyTokenKind.Name).Line);
    }

    [Theory]
    [InlineData("'\\N{EM DASH}\\u2014\\U00002014'", "\u2014\u2014\u2014")]
    [InlineData("'\\101\\x41\\0'", "AA\0")]
    [InlineData("'a\\\nb'", "ab")]
    [InlineData("r'a\\\nb'", "a\\\nb")]
    [InlineData("'\\d\\w'", "\\d\\w")]
    [InlineData("'\\N{hangul syllable gag}'", "\uac01")]
    public void StringLiterals_DecodeAsPython(string literal, string expected) =>
        Assert.Equal(expected, PyStringLiteral.Decode(literal, 1).Value);

    [Theory]
    [InlineData("\n    Indented.\n\n        More.\n    ", "Indented.\n\n    More.")]
    [InlineData("First line.\n\tTabbed.\n", "First line.\nTabbed.")]
    [InlineData("  Only one line.  ", "Only one line.  ")]
    [InlineData("", "")]
    public void CleanDoc_MatchesInspect(string doc, string expected) => Assert.Equal(expected, PyDocstrings.CleanDoc(doc));

    [Theory]
    [InlineData("RAFT model from\n    `RAFT: Recurrent All Pairs Field Transforms <https://arxiv.org/abs/2003.12039>`_.\n\n    Args:\n        weights: x.\n",
        "RAFT model from `RAFT: Recurrent All Pairs Field Transforms <https://arxiv.org/abs/2003.12039>`_.")]
    [InlineData("ResNet-18 from Deep Residual Learning. Second sentence.", "ResNet-18 from Deep Residual Learning.")]
    [InlineData("\n    No full stop here\n    but a wrapped line\n\n    Other paragraph.", "No full stop here but a wrapped line")]
    [InlineData("", "")]
    public void Synopsis_IsTheFirstSentence_NotTheFirstLine(string doc, string expected) => Assert.Equal(expected, PyDocstrings.Synopsis(doc));
}
