namespace TypedBert.Server.Labelling;

/// <summary>The labelling page's settings in <see cref="TypedBertServerOptions"/>, checked with the others at start.</summary>
internal static class LabellingOptionsCheck
{
    public static void Validate(TypedBertServerOptions options)
    {
        if (options.LabelDataPath is null || options.LabelPoolPath is null)
            throw new ArgumentException("LabelDataPath and LabelPoolPath: the labelling page needs both, the labelled file it writes and the unlabelled texts it offers",
                options.LabelDataPath is null ? nameof(options.LabelDataPath) : nameof(options.LabelPoolPath));
        if (!options.HasSingleModel)
            throw new ArgumentException("LabelDataPath: the labelling page labels with the labels of the model at ModelPath; give one", nameof(options.LabelDataPath));
        if (!Path.GetExtension(options.LabelDataPath).Equals(".tsv", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"LabelDataPath: {options.LabelDataPath}: the page writes TSV (the training format); name a .tsv file", nameof(options.LabelDataPath));
        string folder = Path.GetDirectoryName(Path.GetFullPath(options.LabelDataPath))!;
        if (!Directory.Exists(folder))
            throw new ArgumentException($"LabelDataPath: {options.LabelDataPath}: no such folder {folder} (the file itself is created when missing)", nameof(options.LabelDataPath));
        if (!File.Exists(options.LabelPoolPath))
            throw new ArgumentException($"LabelPoolPath: {options.LabelPoolPath}: no such file (one text per line, or a \"text\" column)", nameof(options.LabelPoolPath));
    }
}
