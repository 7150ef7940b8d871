using System;
using System.Collections.Generic;

namespace TorchHub.Downloads;

/// <summary>A validated save request: the absolute URI, the final file path, the SHA-256 prefixes to check.</summary>
public sealed record SavePlan(Uri Uri, string Path, IReadOnlyList<string> Prefixes)
{
    /// <summary>The URI as messages may show it: without a user name or password in it.</summary>
    public string DisplayUri => Http.SafeUrl.Display(Uri);
}
