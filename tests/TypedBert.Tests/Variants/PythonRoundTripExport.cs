using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Modeling;
using TypedBert.Pretrained;
using TypedBert.Tokenization;
using TypedBert.Training;

namespace TypedBert.Tests.Variants;

/// <summary>
/// The TypedBert half of the check that transformers loads what TypedBert saves: fine-tunes the tiny model of every family that
/// transformers saved (Fixtures/variants; BERT also as multi-label, as regression and with mean pooling), saves each with <see cref="TextClassifier.Save"/> under
/// <c>$TYPEDBERT_PYTHON_EXPORT</c>, and writes beside it <c>typedbert.json</c> with the ids and logits TypedBert computes.
/// <c>tests/python/hf_roundtrip.py check DIR</c> then loads each folder in Python and compares.
/// </summary>
public sealed class PythonRoundTripExport
{
    static readonly (string Text, string? Pair)[] Cases =
    [
        ("A delightful, moving film.", null),
        ("Dull and far too long, with ``quotes'' and 42,000 extras.", null),
        ("Café naïve résumé", null),
        ("", null),
        ("How old is the film?", "Very old, from 1994."),
    ];

    [SkippableFact]
    public void Fine_tuned_models_of_every_family_are_saved_with_their_logits_for_pythons_check()
    {
        string? target = Environment.GetEnvironmentVariable("TYPEDBERT_PYTHON_EXPORT");
        Skip.If(string.IsNullOrEmpty(target),
            "set TYPEDBERT_PYTHON_EXPORT=DIR to write the models, then run `python3 tests/python/hf_roundtrip.py check DIR` where transformers is installed");
        foreach (var family in ModelFamily.All)
            Export(family, ProblemType.SingleLabel, PoolingStrategy.Pooler, family.ModelType, target!);
        Export(ModelFamily.Bert, ProblemType.MultiLabel, PoolingStrategy.Pooler, "bert-multilabel", target!);
        Export(ModelFamily.Bert, ProblemType.Regression, PoolingStrategy.Pooler, "bert-regression", target!);
        Export(ModelFamily.Bert, ProblemType.SingleLabel, PoolingStrategy.Mean, "bert-mean-pooling", target!);
    }

    /// <summary>
    /// The ids of the embedded default model's tokenizer for every row of the shared data, one JSON line per row, for
    /// <c>hf_roundtrip.py ids</c> to compare with transformers' BertTokenizer on the same vocab.txt.
    /// </summary>
    [SkippableFact]
    public void Token_ids_of_the_shared_data_are_saved_for_pythons_check()
    {
        string? target = Environment.GetEnvironmentVariable("TYPEDBERT_PYTHON_EXPORT");
        Skip.If(string.IsNullOrEmpty(target), "set TYPEDBERT_PYTHON_EXPORT=DIR to write the ids, then run `python3 tests/python/hf_roundtrip.py ids DIR`");
        string data = TestPaths.RequireSharedData();
        string folder = Path.Combine(target!, "ids");
        Directory.CreateDirectory(folder);
        string model = PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName);
        File.Copy(Path.Combine(model, "vocab.txt"), Path.Combine(folder, "vocab.txt"), overwrite: true);
        var tokenizer = BertTokenizer.FromDirectory(model);
        foreach (string file in new[] { "sst2/train.tsv", "sst2/dev.tsv", "sst2/test.tsv", "agnews/train.tsv", "agnews/test.tsv" })
        {
            var lines = File.ReadLines(Path.Combine(data, file)).Skip(1).Select(line => line[..line.LastIndexOf('\t')])
                .Select(text => JsonSerializer.Serialize(new { text, input_ids = tokenizer.Encode(text, maxLength: 100_000).InputIds }));
            File.WriteAllLines(Path.Combine(folder, file.Replace('/', '-') + ".jsonl"), lines);
        }
    }

    static void Export(ModelFamily family, ProblemType problemType, PoolingStrategy pooling, string name, string target)
    {
        // The base is the family's model that transformers saved (Fixtures/variants), as a user's download would be.
        string baseModel = TestPaths.Fixture(Path.Combine("variants", family.ModelType));
        Assert.True(File.Exists(Path.Combine(baseModel, "config.json")), $"{baseModel}: run tests/fixtures/generate.py first");
        var rows = TinyVariants.Sentiment(32, out var labels);
        var train = problemType switch
        {
            ProblemType.MultiLabel => rows.Select(r => TrainingExample.ForLabels(r.Text, [r.LabelId], labels.Names.Count)).ToList(),
            ProblemType.Regression => rows.Select(r => TrainingExample.ForValues(r.Text, [r.LabelId * 4f + 1])).ToList(),
            _ => rows,
        };
        string[] names = problemType == ProblemType.Regression ? ["stars"] : [.. labels.Names];
        using var classifier = TextClassifier.FromPretrained(baseModel, names, problemType, pooling);
        new Trainer(classifier, new TrainingOptions { Epochs = 3, BatchSize = 8, LearningRate = 5e-3, WarmupRatio = 0, Seed = 1 }).Train(train);

        string folder = Path.Combine(target, name);
        classifier.Save(folder);
        var report = new
        {
            pooling = pooling.ToString().ToLowerInvariant(),
            problem_type = problemType switch
            {
                ProblemType.MultiLabel => "multi_label_classification",
                ProblemType.Regression => "regression",
                _ => "single_label_classification",
            },
            labels = names,
            cases = Cases.Select(c => (Case: c, Encoded: classifier.Tokenizer.Encode(c.Text, c.Pair))).Select(c => new
            {
                text = c.Case.Text,
                pair = c.Case.Pair,
                input_ids = c.Encoded.InputIds,
                token_type_ids = c.Encoded.TokenTypeIds,
                logits = classifier.Predict(c.Case.Text, c.Case.Pair).Logits,
            }),
        };
        File.WriteAllText(Path.Combine(folder, "typedbert.json"),
            JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
        Assert.True(File.Exists(Path.Combine(folder, "model.safetensors")), $"{name}: nothing saved");
    }
}
