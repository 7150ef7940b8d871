using System;

namespace TorchHub.Hubconf.Python;

/// <summary>
/// Raised inside the Python reader where CPython would raise SyntaxError (or refuse the file);
/// <see cref="PythonHubconfReader"/> turns it into a HubException naming the file and line.
/// </summary>
internal sealed class PySyntaxException : Exception
{
    public PySyntaxException(string message, int line) : base(message) => Line = line;

    public int Line { get; }
}
