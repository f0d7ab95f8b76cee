namespace TypedBert.Pretrained;

/// <summary>The files of a Hugging Face model folder.</summary>
public static class ModelFiles
{
    /// <summary>The folder's <c>model.safetensors</c>; pickle checkpoints are refused with the reason.</summary>
    /// <exception cref="FileNotFoundException">No safetensors weights; the message says whether a pickle checkpoint was found instead.</exception>
    public static string RequireSafetensors(string directory)
    {
        string path = Path.Combine(directory, "model.safetensors");
        if (File.Exists(path)) return path;
        throw new FileNotFoundException(File.Exists(Path.Combine(directory, "pytorch_model.bin"))
            ? $"{directory}: only pytorch_model.bin is present; pickle checkpoints can run code when read and are not loaded. Convert it to safetensors first"
            : $"{directory}: no model.safetensors", path);
    }

    /// <summary>The folder's <c>config.json</c>.</summary>
    /// <exception cref="FileNotFoundException">There is none.</exception>
    public static string RequireConfig(string directory)
    {
        string path = Path.Combine(directory, "config.json");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{directory}: no config.json", path);
    }
}
