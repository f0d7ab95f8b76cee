using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Cli.Reporting;
using TypedBert.Modeling;
using TypedBert.Training;

namespace TypedBert.Tests.Cli;

public class ModelCardWriterTests
{
    static ModelCard Card(string? dataset = "sst2", bool withTest = false) => new()
    {
        Name = "sentiment-model",
        BaseModel = "minilm-l6-uncased",
        Config = new SequenceClassificationConfig
        {
            Encoder = new EncoderConfig { HiddenSize = 384, NumHiddenLayers = 6, NumAttentionHeads = 12, IntermediateSize = 1536 },
            Labels = TrainingRuns.Labels, Pooling = PoolingStrategy.Mean,
        },
        Options = new TrainingOptions { Epochs = 3, BatchSize = 16, LearningRate = 1e-4, WarmupRatio = 0.1, MaxLength = 64 },
        Run = TrainingRuns.Run(),
        Dataset = dataset,
        Train = new DataSource("data/train.tsv", 400),
        Eval = new DataSource("data/dev.tsv", 8),
        Test = withTest ? (new DataSource("data/test.tsv", 8), TrainingRuns.Evaluation(0.3, [0, 0, 0, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1, 0])) : null,
    };

    static string FrontMatter(string card)
    {
        Assert.StartsWith("---\n", card.ReplaceLineEndings("\n"));
        var text = card.ReplaceLineEndings("\n");
        int end = text.IndexOf("\n---\n", 4, StringComparison.Ordinal);
        Assert.True(end > 0, "the front matter has no closing ---");
        return text[4..end];
    }

    [Fact]
    public void Front_matter_names_library_base_model_data_set_and_the_kept_epoch_results()
    {
        var yaml = FrontMatter(ModelCardWriter.Render(Card()));
        Assert.Contains("library_name: typedbert\n", yaml);
        Assert.Contains("base_model: \"sentence-transformers/all-MiniLM-L6-v2\"\n", yaml);
        Assert.Contains("datasets:\n- \"sst2\"\n", yaml);
        Assert.Contains("- text-classification\n", yaml);
        Assert.Contains("model-index:\n- name: \"sentiment-model\"\n  results:\n  - task:\n      type: text-classification\n", yaml);
        Assert.Contains("    dataset:\n      name: \"sst2\"\n      type: \"sst2\"\n      split: evaluation\n", yaml);
        // Epoch 2 is kept: 6 of 8 right.
        Assert.Contains("    - type: accuracy\n      value: 0.75\n      name: \"Accuracy\"\n", yaml);
    }

    [Fact]
    public void Test_results_lead_when_there_is_test_data()
    {
        var card = ModelCardWriter.Render(Card(withTest: true));
        Assert.Contains("      split: test\n", FrontMatter(card));
        Assert.Contains("    - type: accuracy\n      value: 0.875\n", FrontMatter(card));
        Assert.Contains("It achieves the following results on the test set:", card);
        Assert.Contains("- test (once, with the final model): `test.tsv`, 8 examples", card);
    }

    [Fact]
    public void A_head_that_does_not_read_the_pooler_is_flagged_for_python_users()
    {
        var mean = ModelCardWriter.Render(Card());
        Assert.Contains("AutoModelForSequenceClassification.from_pretrained(\"sentiment-model\")", mean);
        Assert.Contains("Python's predictions differ from TypedBert's", mean);

        var pooler = Card() with { Config = Card().Config with { Pooling = PoolingStrategy.Pooler } };
        Assert.DoesNotContain("predictions differ", ModelCardWriter.Render(pooler));
    }

    [Fact]
    public void Without_a_data_set_name_the_card_leaves_datasets_out()
    {
        var card = ModelCardWriter.Render(Card(dataset: null));
        var yaml = FrontMatter(card);
        Assert.DoesNotContain("datasets:", yaml);
        Assert.DoesNotContain("dataset:", yaml);
        Assert.Contains("on the data in `train.tsv`", card);
    }

    [Fact]
    public void Warm_up_steps_win_over_the_ratio_and_no_warm_up_writes_neither()
    {
        // Oracle: transformers' cards write lr_scheduler_warmup_steps when steps are given, else lr_scheduler_warmup_ratio when above 0.
        var steps = ModelCardWriter.Render(Card() with { Options = Card().Options with { WarmupSteps = 7 } });
        Assert.Contains("- lr_scheduler_warmup_steps: 7", steps);
        Assert.DoesNotContain("warmup_ratio", steps, StringComparison.Ordinal);
        var none = ModelCardWriter.Render(Card() with { Options = Card().Options with { WarmupRatio = 0 } });
        Assert.DoesNotContain("warmup", none, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_has_labels_hyperparameters_results_per_epoch_and_versions()
    {
        var card = ModelCardWriter.Render(Card());
        Assert.Contains("| 0 | Neg \"quoted\" |", card);
        Assert.Contains("| 1 | Pos\\|piped |", card);   // a pipe would split the Markdown cell
        Assert.Contains("- learning_rate: 1e-4", card);
        Assert.Contains("- lr_scheduler_warmup_ratio: 0.1", card);
        Assert.Contains("- max_length: 64", card);
        Assert.Contains("| Training Loss | Epoch | Step | Validation Loss | Accuracy | Macro F1 | Macro Precision | Macro Recall |", card);
        Assert.Contains("| 0.69 | 1 | 4 | 0.65 | 0.5 |", card);
        Assert.Contains("| 0.52 | 2 (kept) | 8 | 0.48 | 0.75 |", card);
        Assert.Contains("| 0.41 | 3 | 12 | 0.5 | 0.75 |", card);
        Assert.Contains("## Framework versions", card);
        Assert.Contains("- TorchSharp 0.107", card);
        Assert.Contains("mean of the token vectors", card);
    }

    [Fact]
    public void A_long_text_strategy_other_than_truncation_is_described_with_its_settings()
    {
        Assert.DoesNotContain("long_text", ModelCardWriter.Render(Card()));
        Assert.DoesNotContain("long_text", ModelCardWriter.Render(Card() with { LongText = new LongTextSettings(LongTextStrategy.Truncate, 64, 31, 15, WindowAggregation.Mean, 16, null) }));

        var window = ModelCardWriter.Render(Card() with { LongText = new LongTextSettings(LongTextStrategy.SlidingWindow, 128, 100, 31, WindowAggregation.MeanProbability, 16, 8) });
        Assert.Contains("in windows of 128 tokens 100 apart, and the prediction is the mean of the windows' probabilities", window);
        Assert.Contains("drew at most 8 windows of a text per epoch", window);
        Assert.Contains("- long_text: window\n- window: 128\n- stride: 100\n- aggregation: mean-prob\n- max_windows_per_document: 8\n", window.ReplaceLineEndings("\n"));

        var headTail = ModelCardWriter.Render(Card() with { LongText = new LongTextSettings(LongTextStrategy.HeadTail, 512, 64, 128, WindowAggregation.Mean, 16, null) });
        Assert.Contains("read as their first 128 and last 382 tokens (head+tail", headTail);
        Assert.Contains("- long_text: head-tail\n- window: 512\n- head_tokens: 128\n", headTail.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("- stride:", headTail);
    }

    [Fact]
    public void Yaml_strings_are_quoted_and_escaped()
    {
        var card = Card() with { Name = "odd: \"name\"\\", Dataset = "a\nb" };
        var yaml = FrontMatter(ModelCardWriter.Render(card));
        Assert.Contains("- name: \"odd: \\\"name\\\"\\\\\"\n", yaml);
        Assert.Contains("- \"a\\nb\"\n", yaml);
    }

    [Fact]
    public void Write_puts_README_md_into_the_folder_and_leaves_no_temporary_file()
    {
        string folder = Directory.CreateTempSubdirectory("typedbert-card-").FullName;
        try
        {
            string path = ModelCardWriter.Write(folder, Card());
            Assert.Equal(Path.Combine(folder, "README.md"), path);
            Assert.Equal(ModelCardWriter.Render(Card()), File.ReadAllText(path));
            Assert.Equal(["README.md"], Directory.GetFiles(folder).Select(Path.GetFileName));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
