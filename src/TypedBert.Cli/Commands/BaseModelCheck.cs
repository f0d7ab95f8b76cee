using TypedBert.Cli.Errors;
using TypedBert.Pretrained;
using TypedBert.Training;

namespace TypedBert.Cli.Commands;

/// <summary>
/// Finds the base model before any training (an unknown name is reported with the known ones) and refuses a maximum length it cannot
/// read, with the range that <c>[BertTrainingConfig(MaxLength = ...)]</c> is held to at build time (TB0101): <see cref="MaxLengthRange"/>.
/// The model's positions come from its tokenizer's files, without its weights.
/// </summary>
internal static class BaseModelCheck
{
    /// <param name="baseModel">The base model: an embedded name, a folder or a hub id.</param>
    /// <param name="maxLength">The length asked for, or null for the model's maximum.</param>
    /// <param name="maxLengthSource">Where the length was written, such as <c>--max-length 1024</c>.</param>
    public static void Check(string baseModel, int? maxLength, string maxLengthSource)
    {
        string directory;
        try
        {
            directory = PretrainedEncoder.ResolveDirectory(baseModel);
        }
        catch (DirectoryNotFoundException e)
        {
            throw CliException.BadInput($"--model {baseModel}: {e.Message}", e);
        }
        if (maxLength is not int length) return;
        int positions = ModelFiles.LoadTextTokenizer(directory, ModelFiles.LoadEncoderConfig(directory)).ModelMaxLength;
        if (MaxLengthRange.Fits(length, positions)) return;
        throw CliException.Usage($"{maxLengthSource}: use {MaxLengthRange.Describe(positions)}, the positions of base model '{baseModel}'"
            + (length > positions ? $"; to read longer texts, train at {positions} with --long-text window or head-tail" : ""));
    }
}
