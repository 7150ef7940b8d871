using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Errors;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Cache;

/// <summary>
/// The lock-file strategy of FileLock in one process: owner record, stale rule (dead pid, reused
/// pid, live owner, another machine's age), heartbeat, release, race-safe takeover; and the
/// network file system detection that picks it. Across real processes: NetworkLockProcessTests.
/// </summary>
public sealed class LockFileLeaseTests : IDisposable
{
    private static readonly LockOptions Files = new() { Strategy = LockStrategy.File, StaleAfter = TimeSpan.FromSeconds(2) };
    private readonly TempDirectory _temp = new();
    private string LockPath => _temp.Combine("locks", "x.lock");

    public void Dispose() => _temp.Dispose();

    private void WriteLock(LockOwner owner, TimeSpan age)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        File.WriteAllBytes(LockPath, owner.ToBytes());
        File.SetLastWriteTimeUtc(LockPath, DateTime.UtcNow - age);
    }

    private static LockOwner Me => LockOwner.ForThisProcess();

    private static LockOwner OnAnotherMachine => new("node-7", "another-boot/pid:[1]", 4242, 123, Guid.NewGuid().ToString("N"));

    private LockOwner? OwnerOnDisk => LockOwner.Parse(File.ReadAllBytes(LockPath));

    [Fact]
    public async Task AHeldLockFile_NamesItsOwner_IsWaitedFor_AndIsDeletedOnRelease()
    {
        using (var held = FileLock.TryAcquire(LockPath, Files))
        {
            Assert.NotNull(held);
            var owner = OwnerOnDisk!;
            Assert.Equal((Environment.MachineName, Environment.ProcessId), (owner.Host, owner.Pid));
            Assert.Equal(LockOwner.ProcessStart(Environment.ProcessId), owner.Started);
            Assert.Equal(32, owner.Token.Length);
            Assert.Null(FileLock.TryAcquire(LockPath, Files)); // contention (another thread of a live owner): null, never stale

            string? told = null;
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FileLock.AcquireAsync(LockPath, m => told = m, cts.Token, Files));
            Assert.Equal($"Waiting for another process (process {Environment.ProcessId}) that holds x.lock.", told);
        }
        Assert.False(File.Exists(LockPath));
        using var next = await FileLock.AcquireAsync(LockPath, null, CancellationToken.None, Files);
        Assert.True(File.Exists(LockPath));
    }

    [Fact]
    public void ADeadOwnerOnThisMachine_IsStaleAtOnce_EvenWithAFreshHeartbeat()
    {
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        gone.WaitForExit();
        WriteLock(Me with { Pid = gone.Id, Started = 1 }, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        using var held = FileLock.TryAcquire(LockPath, Files with { StaleAfter = TimeSpan.FromMinutes(10) });
        Assert.NotNull(held);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));
        Assert.Equal(Environment.ProcessId, OwnerOnDisk!.Pid);
    }

    [Fact]
    public void AReusedPid_ADifferentStartTime_IsStaleAtOnce()
    {
        // This process's pid, but recorded by a process that started at another time: the pid was reused.
        WriteLock(Me with { Started = LockOwner.ProcessStart(Environment.ProcessId)!.Value - 1000 }, TimeSpan.Zero);
        using var held = FileLock.TryAcquire(LockPath, Files with { StaleAfter = TimeSpan.FromMinutes(10) });
        Assert.NotNull(held);
    }

    [Fact]
    public void ALiveOwnerOnThisMachine_IsNeverStale_HoweverOldItsHeartbeat()
    {
        WriteLock(Me, TimeSpan.FromHours(1));
        Assert.Null(FileLock.TryAcquire(LockPath, Files));
    }

    [Fact]
    public void AnOwnerOnAnotherMachine_IsStaleOnlyWhenItsHeartbeatIsOlderThanTheStaleTime()
    {
        var other = OnAnotherMachine;
        WriteLock(other, TimeSpan.FromSeconds(1));
        Assert.Null(FileLock.TryAcquire(LockPath, Files));
        Assert.Equal(other.Token, OwnerOnDisk!.Token); // untouched

        File.SetLastWriteTimeUtc(LockPath, DateTime.UtcNow - TimeSpan.FromSeconds(3));
        using var held = FileLock.TryAcquire(LockPath, Files);
        Assert.NotNull(held);
        Assert.Equal(Environment.ProcessId, OwnerOnDisk!.Pid);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(LockPath)!, "*.claim")); // the claim is removed
    }

    [Fact]
    public void AHalfWrittenLockFile_IsJudgedByItsAgeAlone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        File.WriteAllText(LockPath, ""); // a creator that has not written its record yet
        Assert.Null(FileLock.TryAcquire(LockPath, Files));
        File.SetLastWriteTimeUtc(LockPath, DateTime.UtcNow - TimeSpan.FromSeconds(3)); // ... or died before it did
        using var held = FileLock.TryAcquire(LockPath, Files);
        Assert.NotNull(held);
    }

    [Fact]
    public void ManyWaitersSeeingOneStaleLock_OneWins_AndNoFreshLockIsDeleted()
    {
        for (var round = 0; round < 20; round++)
        {
            WriteLock(OnAnotherMachine, TimeSpan.FromMinutes(1));
            var start = new Barrier(16);
            var results = new FileLock?[16];
            Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
            {
                start.SignalAndWait();
                results[i] = FileLock.TryAcquire(LockPath, Files);
            });
            var winners = results.Where(r => r is not null).ToList();
            Assert.Single(winners);
            Assert.Equal(Environment.ProcessId, OwnerOnDisk!.Pid); // the winner's file is still there
            winners[0]!.Dispose();
            Assert.False(File.Exists(LockPath));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(LockPath)!, "*.claim"));
        }
    }

    [Fact]
    public void AClaimLeftByABreakerThatDied_IsPassedOver()
    {
        var stale = OnAnotherMachine;
        WriteLock(stale, TimeSpan.FromMinutes(1));
        var deadClaim = LockFileLease.ClaimPath(LockPath, stale.Token, 0);
        File.WriteAllBytes(deadClaim, OnAnotherMachine.ToBytes());
        File.SetLastWriteTimeUtc(deadClaim, DateTime.UtcNow - TimeSpan.FromMinutes(1));
        using var held = FileLock.TryAcquire(LockPath, Files);
        Assert.NotNull(held);
        Assert.False(File.Exists(deadClaim));

        // A live claim (another waiter removing the same stale generation right now) is left to it.
        held!.Dispose();
        var busy = OnAnotherMachine;
        WriteLock(busy, TimeSpan.FromMinutes(1));
        File.WriteAllBytes(LockFileLease.ClaimPath(LockPath, busy.Token, 0), Me.ToBytes());
        Assert.Null(FileLock.TryAcquire(LockPath, Files));
        Assert.Equal(busy.Token, OwnerOnDisk!.Token);
    }

    [Fact]
    public async Task TheHeartbeat_RefreshesAHeldLock_AndStopsOnRelease()
    {
        var quick = Files with { StaleAfter = TimeSpan.FromMilliseconds(600) }; // a beat every 100 ms
        var held = FileLock.TryAcquire(LockPath, quick)!;
        var content = File.ReadAllBytes(LockPath);
        File.SetLastWriteTimeUtc(LockPath, DateTime.UtcNow - TimeSpan.FromMinutes(5));
        await Task.Delay(500);
        Assert.True(DateTime.UtcNow - File.GetLastWriteTimeUtc(LockPath) < TimeSpan.FromSeconds(2));
        Assert.Equal(content, File.ReadAllBytes(LockPath)); // same bytes: only the time moves
        held.Dispose();
        Assert.False(File.Exists(LockPath));
        await Task.Delay(300);
        Assert.False(File.Exists(LockPath)); // no beat after release recreates or touches anything
    }

    [Fact]
    public void Release_DeletesOnlyALockItStillOwns()
    {
        var held = FileLock.TryAcquire(LockPath, Files)!;
        var successor = OnAnotherMachine; // taken over while this process stalled past the stale time
        File.WriteAllBytes(LockPath, successor.ToBytes());
        held.Dispose();
        Assert.Equal(successor.Token, OwnerOnDisk!.Token);
    }

    [Fact]
    public async Task ALockFileThatCannotBeCreated_IsLockUnavailable_NotAWait()
    {
        var tooLong = _temp.Combine("locks", new string('r', 300) + ".lock");
        var ex = await Assert.ThrowsAsync<HubException>(() => FileLock.AcquireAsync(tooLong, _ => { }, CancellationToken.None, Files));
        Assert.Equal(HubErrorIds.LockUnavailable, ex.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidArgument, ex.Category);

        File.WriteAllText(_temp.Combine("file"), "");
        var blocked = await Assert.ThrowsAsync<HubException>(() => FileLock.AcquireAsync(_temp.Combine("file", "x.lock"), null, CancellationToken.None, Files));
        Assert.Equal(HubErrorIds.LockUnavailable, blocked.ErrorId);
    }

    [Theory]
    [InlineData(0x6969L, true)]                    // NFS
    [InlineData(0x517BL, true)]                    // SMB
    [InlineData(0xFF534D42L, true)]                // CIFS
    [InlineData(unchecked((int)0xFF534D42), true)] // CIFS, sign-extended by a 32-bit f_type
    [InlineData(0xFE534D42L, true)]                // SMB2
    [InlineData(0x65735546L, true)]                // FUSE
    [InlineData(0x01021997L, true)]                // 9p
    [InlineData(0x0BD00BD0L, true)]                // Lustre
    [InlineData(0xEF53L, false)]                   // ext4
    [InlineData(0x58465342L, false)]               // xfs
    [InlineData(0x9123683EL, false)]               // btrfs
    [InlineData(0x01021994L, false)]               // tmpfs
    [InlineData(0x794C7630L, false)]               // overlayfs
    public void TheStatfsMagicNumber_TellsANetworkFileSystem(long type, bool network) =>
        Assert.Equal(network, NetworkFileSystem.IsNetworkType(type));

    [Fact]
    public void TheTestFolder_IsLocal_SoAutoUsesTheKernelLock()
    {
        if (OperatingSystem.IsLinux())
        {
            var type = NetworkFileSystem.FileSystemType(_temp.Path);
            Assert.NotNull(type);
            Assert.False(NetworkFileSystem.IsNetworkType(type!.Value), $"f_type 0x{type:X}");
        }
        Assert.False(NetworkFileSystem.IsNetwork(_temp.Combine("not", "created", "yet")));
        Assert.Equal(LockStrategy.Kernel, new LockOptions().StrategyFor(_temp.Path));
        Assert.Equal(LockStrategy.File, new LockOptions { Strategy = LockStrategy.File }.StrategyFor(_temp.Path));

        using var held = FileLock.TryAcquire(LockPath); // the default: auto, kernel here
        Assert.NotNull(held);
        Assert.Equal(0, new FileInfo(LockPath).Length); // a kernel lock file holds no record
    }
}
