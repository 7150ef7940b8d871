using System.Collections.Generic;
using TorchHub.Hubconf.CSharp;
using TorchHub.Hubconf.Python;

namespace TorchHub.Hubconf;

/// <summary>
/// The hubconf readers the engine knows, in listing order. A folder may hold several hubconf
/// files (hubconf.py and hubconf.cs): every reader whose file exists contributes. To add a
/// language, add one line here.
/// </summary>
internal static class HubconfReaders
{
    public static IReadOnlyList<IHubconfReader> All { get; } =
    [
        new PythonHubconfReader(),
        new CSharpHubconfReader(),
    ];
}
