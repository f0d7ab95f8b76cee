namespace TypedBert.Hosting;

/// <summary>
/// Settings of one classifier in the container, usually bound from a configuration section such as
/// <c>"TypedBert": { "Topic": { "ModelPath": "models/topic", "Threads": 2 } }</c>. Checked when the host starts.
/// </summary>
public sealed class TypedBertClassifierOptions
{
    /// <summary>Folder of a fine-tuned classifier; a relative path is looked up in the working directory, then beside the application.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Longest input in tokens, special tokens included; the model's own maximum when null.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Texts per forward pass in batch prediction; the classifier's default when null.</summary>
    public int? BatchSize { get; set; }

    /// <summary>CPU threads libtorch may use (process-wide); libtorch's default when null.</summary>
    public int? Threads { get; set; }

    /// <summary><c>cpu</c> (default), <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string? Device { get; set; }

    /// <summary>
    /// What runs the model: libtorch, ONNX Runtime fp32, or ONNX Runtime int8 (see <see cref="Classification.InferenceEngine"/>); null
    /// (the default): the folder's own, libtorch for a saved classifier and its graph's engine for a folder written by <c>typedbert export</c>.
    /// </summary>
    public Classification.InferenceEngine? Engine { get; set; }

    /// <summary>How long texts are read; null (the default): as the model was trained, which its <c>config.json</c> records.</summary>
    public Classification.LongTextOptions? LongText { get; set; }
}
