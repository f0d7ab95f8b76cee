// Compiled twice: by MSBuild's RoslynCodeTaskFactory as the build task below, and into the tests
// (with TYPEDBERT_ELF_ONLY defined) so the ELF logic is exercised without MSBuild.
// Keep it to C# 7.3 and netstandard2.0 APIs: the task factory compiles it against those.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace TypedBert.Build
{
    /// <summary>
    /// Reads and edits the GNU symbol-versioning sections of an ELF64 little-endian shared library.
    /// </summary>
    /// <remarks>
    /// libLibTorchSharp.so (TorchSharp 0.107) is linked by GCC 13 and asks for GLIBCXX_3.4.32 only because
    /// GCC 13's &lt;iostream&gt; references std::ios_base_library_init(); nothing binds that symbol.
    /// Marking the requirement weak (VER_FLG_WEAK) turns the loader's fatal "version not found" into a note,
    /// which lets the library load against the libstdc++ of GCC 12 (Debian 12, Ubuntu 22.04).
    /// </remarks>
    public static class ElfSymbolVersions
    {
        public const string TorchSharpRequiredVersion = "GLIBCXX_3.4.32";

        const uint SectionTypeVersionDefinitions = 0x6ffffffd; // SHT_GNU_verdef
        const uint SectionTypeVersionRequirements = 0x6ffffffe; // SHT_GNU_verneed
        const ushort VersionFlagWeak = 0x2; // VER_FLG_WEAK

        /// <summary>Version names a library defines (for libstdc++: GLIBCXX_3.4, ..., GLIBCXX_3.4.30).</summary>
        public static List<string> ReadDefinedVersions(byte[] elf)
        {
            var names = new List<string>();
            foreach (var section in Sections(elf, SectionTypeVersionDefinitions))
            {
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32
                    uint aux = U32(elf, entry + 12);
                    uint next = U32(elf, entry + 16);
                    // Elf64_Verdaux: vda_name u32, vda_next u32
                    names.Add(ReadString(elf, section.LinkedStringTableOffset + U32(elf, entry + aux)));
                    if (next == 0) break;
                    entry += next;
                }
            }
            return names;
        }

        /// <summary>Version requirements of a library, with whether each one is weak.</summary>
        public static List<KeyValuePair<string, bool>> ReadRequiredVersions(byte[] elf)
        {
            var result = new List<KeyValuePair<string, bool>>();
            VisitRequirements(elf, (name, flagsOffset) =>
                result.Add(new KeyValuePair<string, bool>(name, (U16(elf, flagsOffset) & VersionFlagWeak) != 0)));
            return result;
        }

        /// <summary>Marks every requirement named <paramref name="version"/> weak. Returns how many entries changed.</summary>
        public static int MakeRequirementWeak(byte[] elf, string version)
        {
            int changed = 0;
            VisitRequirements(elf, (name, flagsOffset) =>
            {
                ushort flags = U16(elf, flagsOffset);
                if (name == version && (flags & VersionFlagWeak) == 0)
                {
                    flags |= VersionFlagWeak;
                    elf[flagsOffset] = (byte)flags;
                    elf[flagsOffset + 1] = (byte)(flags >> 8);
                    changed++;
                }
            });
            return changed;
        }

        static void VisitRequirements(byte[] elf, Action<string, long> visit)
        {
            foreach (var section in Sections(elf, SectionTypeVersionRequirements))
            {
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                    ushort count = U16(elf, entry + 2);
                    long aux = entry + U32(elf, entry + 8);
                    for (int j = 0; j < count; j++)
                    {
                        // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                        visit(ReadString(elf, section.LinkedStringTableOffset + U32(elf, aux + 8)), aux + 4);
                        uint auxNext = U32(elf, aux + 12);
                        if (auxNext == 0) break;
                        aux += auxNext;
                    }
                    uint next = U32(elf, entry + 12);
                    if (next == 0) break;
                    entry += next;
                }
            }
        }

        struct Section
        {
            public long Offset;
            public uint Info;
            public long LinkedStringTableOffset;
        }

        static IEnumerable<Section> Sections(byte[] elf, uint type)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
            long sectionHeaders = (long)U64(elf, 0x28);
            int entrySize = U16(elf, 0x3A);
            int count = U16(elf, 0x3C);
            for (int i = 0; i < count; i++)
            {
                long header = sectionHeaders + (long)i * entrySize;
                // Elf64_Shdr: sh_name u32, sh_type u32, sh_flags u64, sh_addr u64, sh_offset u64, sh_size u64, sh_link u32, sh_info u32, ...
                if (U32(elf, header + 4) != type) continue;
                uint link = U32(elf, header + 0x28);
                long linkedHeader = sectionHeaders + (long)link * entrySize;
                yield return new Section
                {
                    Offset = (long)U64(elf, header + 0x18),
                    Info = U32(elf, header + 0x2C),
                    LinkedStringTableOffset = (long)U64(elf, linkedHeader + 0x18),
                };
            }
        }

        static ushort U16(byte[] b, long at) { Check(b, at, 2); return (ushort)(b[at] | b[at + 1] << 8); }
        static uint U32(byte[] b, long at) { Check(b, at, 4); return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24); }
        static ulong U64(byte[] b, long at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

        static void Check(byte[] b, long at, int size)
        {
            if (at < 0 || at + size > b.Length) throw new InvalidDataException("ELF structure points outside the file at offset " + at);
        }

        static string ReadString(byte[] b, long at)
        {
            long end = at;
            while (end < b.Length && b[end] != 0) end++;
            Check(b, at, (int)(end - at));
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }

        /// <summary>The system's libstdc++, found where Linux distributions install it; null when absent.</summary>
        public static string? FindSystemLibStdCxx()
        {
            string[] candidates =
            {
                "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            };
            foreach (var candidate in candidates)
                if (File.Exists(candidate)) return candidate;
            return null;
        }
    }

#if !TYPEDBERT_ELF_ONLY
    /// <summary>
    /// Build step: where the system libstdc++ lacks GLIBCXX_3.4.32, marks that requirement weak in the copies of
    /// libLibTorchSharp.so in the build or publish output. The NuGet cache is never written.
    /// </summary>
    public sealed class TypedBertPatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = new Microsoft.Build.Framework.ITaskItem[0];

        public override bool Execute()
        {
            if (Libraries.Length == 0) return true;
            string? libStdCxx = ElfSymbolVersions.FindSystemLibStdCxx();
            if (libStdCxx == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "TypedBert: no system libstdc++.so.6 found; libLibTorchSharp.so left as it is.");
                return true;
            }
            if (ElfSymbolVersions.ReadDefinedVersions(File.ReadAllBytes(libStdCxx)).Contains(ElfSymbolVersions.TorchSharpRequiredVersion))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "TypedBert: " + libStdCxx + " defines " + ElfSymbolVersions.TorchSharpRequiredVersion + "; no patch needed.");
                return true;
            }
            foreach (var item in Libraries)
            {
                string path = item.GetMetadata("FullPath");
                byte[] bytes = File.ReadAllBytes(path);
                if (ElfSymbolVersions.MakeRequirementWeak(bytes, ElfSymbolVersions.TorchSharpRequiredVersion) == 0) continue;
                // Write a new file and move it over the old one: the output copy may be a hard link into the NuGet cache.
                DateTime lastWrite = File.GetLastWriteTimeUtc(path);
                string temporary = path + ".typedbert-tmp";
                File.WriteAllBytes(temporary, bytes);
                File.SetLastWriteTimeUtc(temporary, lastWrite); // same size and time: incremental copies skip it
                File.Delete(path);
                File.Move(temporary, path);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    "TypedBert: " + libStdCxx + " lacks " + ElfSymbolVersions.TorchSharpRequiredVersion + "; marked that requirement weak in " + path);
            }
            return true;
        }
    }
#endif
}
