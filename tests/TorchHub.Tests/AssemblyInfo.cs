using Xunit;

// The hub directory set by Set-HubDirectory is process-wide (like torch.hub.set_dir), and
// tests change environment variables: run test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
