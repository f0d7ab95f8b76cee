using System.ComponentModel;
using System.Security.Cryptography;
using System.Text.Json;

namespace TypedBert.Tests.Onnx;

/// <summary>
/// transformers.js on Node, the independent reader of exported folders: tests/js pins <c>@huggingface/transformers</c> and
/// <c>onnxruntime-node</c> in its package-lock.json, installed once with <c>npm ci</c> (from the npm registry only: install scripts are
/// off, so onnxruntime-node fetches no CUDA libraries; its CPU binding ships in the package) and again only when the lock file changes.
/// </summary>
internal static class TransformersJs
{
    static readonly string Folder = Path.Combine(TestPaths.RepositoryRoot, "tests", "js");
    static readonly Lazy<string?> Missing = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Skips the calling test, saying why, when Node or npm is not installed; fails when npm ci fails.</summary>
    public static void Require()
    {
        string? missing = Missing.Value;
        Skip.If(missing is not null, missing);
    }

    /// <summary>Runs tests/js/run.mjs in <paramref name="mode"/> (classify or tokenize) on <paramref name="folder"/> and <paramref name="texts"/> (strings or [text, pair] arrays).</summary>
    public static JsonDocument Run(string mode, string folder, IEnumerable<object> texts)
    {
        using var input = new TemporaryFolder();
        File.WriteAllText(input.File("texts.json"), JsonSerializer.Serialize(texts));
        var result = ProcessRunner.Run("node", [Path.Combine(Folder, "run.mjs"), mode, folder, input.File("texts.json")], Folder, TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, $"node run.mjs {mode}: {result}");
        return JsonDocument.Parse(result.StandardOutput);
    }

    /// <summary>Null when tests/js's packages are installed; else why they cannot be (no Node or npm).</summary>
    static string? Install()
    {
        foreach (var tool in new[] { "node", "npm" })
        {
            try
            {
                if (ProcessRunner.Run(tool, ["--version"], Folder, TimeSpan.FromMinutes(1)).ExitCode != 0) return $"{tool} --version failed; install Node.js 20 or later to run the transformers.js tests";
            }
            catch (Win32Exception)
            {
                return $"{tool} is not on PATH; install Node.js 20 or later (with npm) to run the transformers.js tests";
            }
        }
        string stamp = Path.Combine(Folder, "node_modules", ".typedbert-lock-sha256");
        string lockHash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(Folder, "package-lock.json"))));
        if (File.Exists(stamp) && File.ReadAllText(stamp) == lockHash) return null;
        var install = ProcessRunner.Run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], Folder, TimeSpan.FromMinutes(10),
            new Dictionary<string, string?> { ["ONNXRUNTIME_NODE_INSTALL"] = "skip" });
        Assert.True(install.ExitCode == 0, $"npm ci in {Folder}: {install}");
        File.WriteAllText(stamp, lockHash);
        return null;
    }
}
