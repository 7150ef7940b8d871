using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace TorchHub.Cache;

/// <summary>
/// Who holds a lock file (<see cref="LockFileLease"/>): host, the machine scope in which its pid
/// means something, pid, the process's start time (so a reused pid is told apart) and a token
/// unique to this hold. Written as one line of JSON, the lock file's whole content.
/// </summary>
internal sealed record LockOwner(string Host, string Scope, int Pid, long Started, string Token)
{
    /// <summary>A new hold by this process.</summary>
    public static LockOwner ForThisProcess() =>
        new(Environment.MachineName, ThisScope.Value, Environment.ProcessId, ProcessStart(Environment.ProcessId) ?? 0, Guid.NewGuid().ToString("N"));

    /// <summary>Whether the pid is one this process can check: same host name and same scope (boot and pid namespace).</summary>
    public bool IsOnThisMachine =>
        string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase) && Scope == ThisScope.Value;

    /// <summary>On this machine: whether the owning process still runs (the same process: a reused pid has another start time).</summary>
    public bool IsRunning => ProcessStart(Pid) is { } started && (Started == 0 || started == Started);

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("host", Host);
            json.WriteString("scope", Scope);
            json.WriteNumber("pid", Pid);
            json.WriteNumber("started", Started);
            json.WriteString("token", Token);
            json.WriteString("since", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The owner a lock file names, or null for an empty or foreign file (one being written, or left half-written).</summary>
    public static LockOwner? Parse(ReadOnlySpan<byte> content)
    {
        try
        {
            var reader = new Utf8JsonReader(content);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            return new LockOwner(root.GetProperty("host").GetString()!, root.GetProperty("scope").GetString()!,
                root.GetProperty("pid").GetInt32(), root.GetProperty("started").GetInt64(), root.GetProperty("token").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            return null;
        }
    }

    public override string ToString() =>
        string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase) ? $"process {Pid}" : $"process {Pid} on {Host}";

    /// <summary>
    /// Where this process's pids mean something. Linux: the boot id and the pid namespace (containers
    /// of one host share a host name pattern but not pids); a process whose /proc shows another
    /// namespace's pids gets a scope of its own, so nobody judges pids it cannot see. Elsewhere: the host name alone.
    /// </summary>
    private static readonly Lazy<string> ThisScope = new(() =>
    {
        if (!OperatingSystem.IsLinux()) return "";
        try
        {
            var procSelf = new FileInfo("/proc/self").LinkTarget;
            if (procSelf != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)) return "own-" + Guid.NewGuid().ToString("N");
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() + "/" + new FileInfo("/proc/self/ns/pid").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "own-" + Guid.NewGuid().ToString("N");
        }
    });

    /// <summary>
    /// When process <paramref name="pid"/> started, in a unit stable across processes, or null when it
    /// is not running. Linux: /proc/&lt;pid&gt;/stat's start time in clock ticks after boot (a zombie counts
    /// as gone); elsewhere: Process.StartTime in UTC ticks.
    /// </summary>
    internal static long? ProcessStart(int pid)
    {
        if (pid <= 0) return null;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] is "Z" or "X" or "x") return null;
                return long.Parse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture); // field 22: starttime
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                return null;
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}
