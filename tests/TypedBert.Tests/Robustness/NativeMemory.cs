using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TypedBert.Tests.Robustness;

/// <summary>
/// Native heap in use, from glibc's <c>mallinfo2</c> (all arenas plus mmapped blocks): libtorch allocates there, the .NET heap does not.
/// Unlike the resident set, it drops when memory is freed, so growth means memory still held.
/// </summary>
internal static partial class NativeMemory
{
    internal readonly record struct Snapshot(long Allocated, long Resident)
    {
        public override string ToString() => $"{Allocated >> 20} MiB allocated ({Resident >> 20} MiB resident)";
    }

    [StructLayout(LayoutKind.Sequential)]
    struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo2 MallInfo();

    public static Snapshot Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var info = MallInfo();
        using var process = Process.GetCurrentProcess();
        return new Snapshot((long)(info.UordBlks + info.HBlkHd), process.WorkingSet64);
    }
}
