using System;
using System.Runtime.InteropServices;

namespace TorchHub.Runtime;

/// <summary>
/// dlopen/dlerror, for the two things NativeLibrary cannot do: load with RTLD_GLOBAL (the shim
/// must be visible to libraries loaded later) and return the loader's exact error text (which
/// tells a GLIBCXX version problem from a missing file or a wrong architecture).
/// libdl.so.2 exists on every glibc (a forwarding stub since glibc 2.34).
/// </summary>
internal static class Dl
{
    public const int RtldLazy = 0x1;
    public const int RtldNow = 0x2;
    public const int RtldGlobal = 0x100;

    [DllImport("libdl.so.2", EntryPoint = "dlopen")]
    private static extern IntPtr DlOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libdl.so.2", EntryPoint = "dlerror")]
    private static extern IntPtr DlError();

    /// <summary>Loads a library; on failure returns <see cref="IntPtr.Zero"/> and the loader's message.</summary>
    public static IntPtr Open(string path, int flags, out string? error)
    {
        DlError(); // clear any stale error
        var handle = DlOpen(path, flags);
        error = handle == IntPtr.Zero ? Marshal.PtrToStringUTF8(DlError()) ?? "dlopen failed" : null;
        return handle;
    }
}
