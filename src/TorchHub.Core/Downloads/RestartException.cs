using System;

namespace TorchHub.Downloads;

/// <summary>The partial cannot be continued (the file changed on the server, a bad range answer): start the download over.</summary>
internal sealed class RestartException : Exception
{
    public RestartException(string message) : base(message) { }
}
