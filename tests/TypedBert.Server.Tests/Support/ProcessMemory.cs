using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace TypedBert.Server.Tests.Support;

/// <summary>
/// Where a process's memory is, after a full collection: the resident set, glibc's heap (in use, held by its arenas, mmapped; libtorch
/// and ONNX Runtime allocate there), the .NET heap, and the thread count (each thread that allocates may get a glibc arena of its own).
/// </summary>
internal readonly record struct ProcessMemory(double ResidentMiB, double NativeInUseMiB, double NativeHeldMiB, double GcHeapMiB, double GcCommittedMiB, int Threads)
{
    public static ProcessMemory Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        const double MiB = 1 << 20;
        var heap = OperatingSystem.IsLinux() ? MallInfo() : default;
        var gc = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new ProcessMemory(process.WorkingSet64 / MiB, (heap.UordBlks + heap.HBlkHd) / MiB, (heap.Arena + heap.HBlkHd) / MiB,
            gc.HeapSizeBytes / MiB, gc.TotalCommittedBytes / MiB, process.Threads.Count);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"resident {ResidentMiB:0} MiB, native in use {NativeInUseMiB:0} / held {NativeHeldMiB:0} MiB, .NET heap {GcHeapMiB:0} / committed {GcCommittedMiB:0} MiB, threads {Threads}");

    [StructLayout(LayoutKind.Sequential)]
    struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    // DllImport, not LibraryImport: a blittable signature, and LibraryImport would need unsafe code in the whole project.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 MallInfo();
#pragma warning restore SYSLIB1054
}
