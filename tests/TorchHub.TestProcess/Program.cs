using System;
using TorchHub;
using TorchHub.Errors;
using TorchHub.Repositories;

// Usage: TorchHub.TestProcess <hub dir> <owner/repo[:ref]> [force]
// GitHub endpoints come from GITHUB_API_URL / GITHUB_SERVER_URL, as for users.
// Prints "OK <fromCache> <directory>" or "ERR <error id> <message>".
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: TorchHub.TestProcess <hub dir> <owner/repo[:ref]> [force]");
    return 2;
}
Hub.SetDir(args[0]);
try
{
    var repo = new Hub().GetRepository(RepoSpec.Parse(args[1]), new RepositoryRequest
    {
        TrustRepo = true,
        Force = args.Length > 2 && args[2] == "force",
    });
    Console.WriteLine($"OK {repo.FromCache} {repo.Directory}");
    return 0;
}
catch (HubException ex)
{
    Console.WriteLine($"ERR {ex.ErrorId} {ex.Message}");
    return 1;
}
