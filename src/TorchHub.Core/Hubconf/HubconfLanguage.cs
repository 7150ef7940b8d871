
namespace TorchHub.Hubconf;

/// <summary>Which hubconf file publishes an entrypoint.</summary>
public enum HubconfLanguage
{
    /// <summary><c>hubconf.py</c>: read statically, listed and documented, never run.</summary>
    Python,

    /// <summary><c>hubconf.cs</c>: listed statically, compiled and run by Import-HubModel.</summary>
    CSharp,
}
