using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Errors;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Cache;

public sealed class FileLockTests
{
    [Theory]
    [InlineData(LockStrategy.Kernel, true)]  // a kernel lock's file stays (the lock is on the open file)
    [InlineData(LockStrategy.File, false)]   // a lock file is the lock: removed on release
    public void LockFileRecords_TakeTheStrategyTheyAreGiven(LockStrategy strategy, bool lockFileStays)
    {
        var folder = Directory.CreateTempSubdirectory("torchhub-lockfile-").FullName;
        try
        {
            var path = Path.Combine(folder, "torchhub.lock.json");
            HubLockFile.Record(path, [new LockedRepository("acme/zoo:v1", new string('a', 40))], [], new LockOptions { Strategy = strategy });
            Assert.Equal(lockFileStays, File.Exists(path + ".lock"));
            Assert.Equal("acme/zoo:v1", Assert.Single(HubLockFile.Load(path).Repositories).Spec);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AHeldLock_IsWaitedFor_AndTheWaitIsCancellable()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("locks", "a.lock");
        using var held = FileLock.TryAcquire(path);
        Assert.NotNull(held);
        Assert.Null(FileLock.TryAcquire(path)); // contention: null, not an error

        string? told = null;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FileLock.AcquireAsync(path, m => told = m, cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3));
        Assert.Contains($"process {Environment.ProcessId}", told);

        held!.Dispose();
        using var next = await FileLock.AcquireAsync(path, null, CancellationToken.None);
    }

    [Fact]
    public async Task ALockFileThatCannotBeCreated_IsAnError_NotAWait()
    {
        using var temp = new TempDirectory();
        var tooLong = temp.Combine("locks", new string('r', 300) + ".lock"); // a ref longer than 241 characters
        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<HubException>(() => FileLock.AcquireAsync(tooLong, _ => { }, CancellationToken.None));
        Assert.Equal(HubErrorIds.LockUnavailable, ex.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidArgument, ex.Category);
        Assert.Contains("not another process", ex.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));

        // A folder in the way of the lock's folder: cannot be created either.
        File.WriteAllText(temp.Combine("file"), "");
        var blocked = await Assert.ThrowsAsync<HubException>(() => FileLock.AcquireAsync(temp.Combine("file", "x.lock"), null, CancellationToken.None));
        Assert.Equal(HubErrorIds.LockUnavailable, blocked.ErrorId);
    }

    [Fact]
    public void AtomicFile_ReplacesWhole_AndLeavesNoTemporaryFiles()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("x.json");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException("boom")));
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(temp.Path));
    }
}
