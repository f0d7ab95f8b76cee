using TypedBert.Classification;
using TypedBert.Cli.Commands;
using TypedBert.Cli.Errors;

namespace TypedBert.Cli.Scoring;

/// <summary><c>typedbert predict --input FILE --output FILE [--shard I/N]</c>: checks the options, loads the model and runs <see cref="ChunkedScorer"/>.</summary>
internal static class CorpusScoring
{
    public static int Run(string modelPath, string input, string? output, string? shardText, int chunkSize, string textField,
        Func<TextClassifier, PredictionSettings> settings, InferenceEngine? engine)
    {
        if (output is null) throw CliException.Usage("--input needs --output: the JSON Lines file the predictions go to");
        if (!File.Exists(input)) throw CliException.BadInput($"--input {input}: no such file");
        if (chunkSize < 1) throw CliException.Usage($"--chunk-size {chunkSize}: must be at least 1");
        var shard = ShardSpec.Parse(shardText);
        using var loaded = TextClassifier.Load(modelPath);
        using var classifier = EngineOption.TryWith(loaded, settings(loaded), engine);
        if (classifier is null || !LongTextCliOptions.Check(classifier)) return 2;
        return new ChunkedScorer(classifier, modelPath, input, output, shard, chunkSize, textField, Console.Error).Run();
    }
}
