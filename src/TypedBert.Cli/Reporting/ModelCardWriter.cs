using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Serialization;
using TypedBert.Training;

namespace TypedBert.Cli.Reporting;

/// <summary>
/// Writes a model card, <c>README.md</c> in the model folder, in the shape Hugging Face's <c>Trainer</c> gives it:
/// YAML front matter (library, base model, tags, data sets, metrics, <c>model-index</c> with the evaluation results) and
/// sections for the description, labels, use, data, hyperparameters, per-epoch results and framework versions.
/// </summary>
internal static class ModelCardWriter
{
    /// <summary>The card's file name inside the model folder.</summary>
    public const string FileName = "README.md";

    /// <summary>Hugging Face hub ids of the embedded models' weights, for <c>base_model</c> and links.</summary>
    static readonly Dictionary<string, string> HubIds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["minilm-l6-uncased"] = "sentence-transformers/all-MiniLM-L6-v2",
        ["arctic-xs-uncased"] = "Snowflake/snowflake-arctic-embed-xs",
    };

    /// <summary>Writes <paramref name="card"/> to <c>README.md</c> in <paramref name="folder"/>, atomically; returns the path.</summary>
    public static string Write(string folder, ModelCard card)
    {
        string path = Path.Combine(folder, FileName);
        AtomicFile.WriteAllText(path, Render(card));
        return path;
    }

    /// <summary>The card's Markdown text.</summary>
    public static string Render(ModelCard card)
    {
        var text = new StringBuilder();
        FrontMatter(text, card);
        Body(text, card);
        return text.ToString();
    }

    /// <summary>The hub id of <paramref name="baseModel"/> when it is an embedded model, else null.</summary>
    public static string? HubId(string baseModel) => HubIds.GetValueOrDefault(baseModel);

    /// <summary>The headline results: on the test data when given, else on the evaluation data of the kept epoch.</summary>
    static (string Split, EvaluationResult Result)? Headline(ModelCard card) =>
        card.Test is { } test ? ("test", test.Result) : card.KeptEvaluation is { } kept ? ("evaluation", kept) : null;

    static void FrontMatter(StringBuilder text, ModelCard card)
    {
        text.AppendLine("---");
        text.AppendLine("library_name: typedbert");
        if (HubId(card.BaseModel) is { } hub) text.AppendLine($"base_model: {Yaml(hub)}");
        text.AppendLine("pipeline_tag: text-classification");
        text.AppendLine("tags:");
        foreach (var tag in new[] { "typedbert", "text-classification", ProblemTag(card.Config.ProblemType), "generated_from_trainer" })
            text.AppendLine($"- {tag}");
        if (card.Dataset is { } dataset) text.AppendLine($"datasets:\n- {Yaml(dataset)}");
        var headline = Headline(card);
        if (headline is { } h)
        {
            text.AppendLine("metrics:");
            foreach (var metric in Metrics(h.Result).Select(m => m.Type).Distinct()) text.AppendLine($"- {metric}");
        }
        text.AppendLine("model-index:");
        text.AppendLine($"- name: {Yaml(card.Name)}");
        if (headline is { } result)
        {
            text.AppendLine("  results:");
            text.AppendLine("  - task:");
            text.AppendLine("      type: text-classification");
            text.AppendLine("      name: Text Classification");
            if (card.Dataset is { } name)
            {
                text.AppendLine("    dataset:");
                text.AppendLine($"      name: {Yaml(name)}");
                text.AppendLine($"      type: {Yaml(name)}");
                text.AppendLine($"      split: {result.Split}");
            }
            text.AppendLine("    metrics:");
            foreach (var metric in Metrics(result.Result))
            {
                text.AppendLine($"    - type: {metric.Type}");
                text.AppendLine($"      value: {Number(metric.Value)}");
                text.AppendLine($"      name: {Yaml(metric.Name)}");
            }
        }
        else
        {
            text.AppendLine("  results: []");
        }
        text.AppendLine("---");
        text.AppendLine();
    }

    static void Body(StringBuilder text, ModelCard card)
    {
        var config = card.Config;
        string baseLink = HubId(card.BaseModel) is { } hub ? $"[{card.BaseModel}](https://huggingface.co/{hub}) ({hub})" : $"`{card.BaseModel}`";
        string data = card.Dataset is { } dataset ? $"the {dataset} data set" : $"the data in `{Path.GetFileName(card.Train.Path)}`";
        text.AppendLine($"# {card.Name}");
        text.AppendLine();
        text.AppendLine($"This model is a fine-tuned version of {baseLink} on {data}, trained with TypedBert.");
        if (Headline(card) is { } headline)
        {
            text.AppendLine($"It achieves the following results on the {headline.Split} set:");
            text.AppendLine($"- Loss: {Number(headline.Result.Loss)}");
            foreach (var metric in Metrics(headline.Result)) text.AppendLine($"- {metric.Name}: {Number(metric.Value)}");
        }
        text.AppendLine();

        text.AppendLine("## Model description");
        text.AppendLine();
        text.AppendLine($"{ProblemDescription(config.ProblemType)} with {config.NumLabels} label(s): a BERT encoder ({config.Encoder.NumHiddenLayers} layers, " +
            $"hidden size {config.Encoder.HiddenSize}, {config.Encoder.NumAttentionHeads} attention heads) and a linear head on {PoolingDescription(config.Pooling)}.");
        text.AppendLine("The folder has the Hugging Face layout (`config.json`, `model.safetensors`, `vocab.txt`, tokenizer files).");
        if (LongTextDescription(card.LongText) is { } longText)
        {
            // The strategy is part of what the model learned; a reader that truncates sees other inputs than training did.
            text.AppendLine();
            text.AppendLine($"{longText} It was trained that way, and TypedBert reads it that way (`typedbert_long_text` in config.json); "
                + "transformers' pipeline truncates instead.");
        }
        text.AppendLine();

        text.AppendLine("## Labels");
        text.AppendLine();
        text.AppendLine("| id | label |");
        text.AppendLine("|---:|---|");
        for (int i = 0; i < config.Labels.Count; i++) text.AppendLine($"| {i} | {Cell(config.Labels[i])} |");
        text.AppendLine();

        text.AppendLine("## How to use");
        text.AppendLine();
        text.AppendLine("```bash");
        text.AppendLine($"typedbert predict --model {card.Name} --text \"Some text to classify\"");
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("```csharp");
        text.AppendLine($"using var classifier = TypedBert.Classification.TextClassifier.Load(\"{card.Name}\");");
        text.AppendLine("var prediction = classifier.Predict(\"Some text to classify\");   // prediction.Label, prediction.Ranked");
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("```python");
        text.AppendLine("from transformers import AutoModelForSequenceClassification, AutoTokenizer");
        text.AppendLine($"model = AutoModelForSequenceClassification.from_pretrained(\"{card.Name}\")");
        text.AppendLine($"tokenizer = AutoTokenizer.from_pretrained(\"{card.Name}\")");
        text.AppendLine("```");
        text.AppendLine();
        if (config.Pooling != PoolingStrategy.Pooler)
        {
            // transformers' *ForSequenceClassification classes read the pooler; nothing in them pools by the mean or by [CLS] alone.
            text.AppendLine($"Note: this head reads {PoolingDescription(config.Pooling)} (`typedbert_pooling` in config.json). transformers loads the "
                + "model, but its classifier reads the pooler instead, so Python's predictions differ from TypedBert's. Train with "
                + "`--pooling Pooler` for a model that predicts the same in both.");
            text.AppendLine();
        }

        text.AppendLine("## Training and evaluation data");
        text.AppendLine();
        text.AppendLine($"- training: `{Path.GetFileName(card.Train.Path)}`, {card.Train.Examples} examples");
        if (card.Eval is { } eval) text.AppendLine($"- evaluation (after every epoch): `{Path.GetFileName(eval.Path)}`, {eval.Examples} examples");
        if (card.Test is { } test) text.AppendLine($"- test (once, with the final model): `{Path.GetFileName(test.Source.Path)}`, {test.Source.Examples} examples");
        text.AppendLine();

        text.AppendLine("## Training procedure");
        text.AppendLine();
        text.AppendLine("### Training hyperparameters");
        text.AppendLine();
        foreach (var (name, value) in Hyperparameters(card)) text.AppendLine($"- {name}: {value}");
        text.AppendLine();

        text.AppendLine("### Training results");
        text.AppendLine();
        ResultsTable(text, card);
        text.AppendLine();
        text.AppendLine($"The model holds the weights of epoch {card.Run.BestEpoch}{(card.Run.StoppedEarly ? " (training stopped early)" : "")}. " +
            $"Training took {Commands.Report.Duration(card.Run.Elapsed)} ({Number(card.Run.ExamplesPerSecond, "0.0")} examples/s, evaluation excluded).");
        text.AppendLine();
        text.AppendLine("### Framework versions");
        text.AppendLine();
        text.AppendLine($"- TypedBert {Version(typeof(TextClassifier).Assembly)}");
        text.AppendLine($"- TorchSharp {Version(typeof(TorchSharp.torch).Assembly)}");
        text.AppendLine($"- Microsoft.ML.Tokenizers {Version(typeof(Microsoft.ML.Tokenizers.Tokenizer).Assembly)}");
        text.AppendLine($"- .NET {Environment.Version}");
    }

    static void ResultsTable(StringBuilder text, ModelCard card)
    {
        var epochs = card.Run.Epochs;
        var first = epochs.Select(e => e.Evaluation).FirstOrDefault(e => e is not null);
        var metricNames = first is null ? [] : Metrics(first).Select(m => m.Name).ToList();
        int stepsPerEpoch = card.Run.Steps / Math.Max(1, epochs.Count);
        var header = new List<string> { "Training Loss", "Epoch", "Step" };
        if (first is not null) header.Add("Validation Loss");
        header.AddRange(metricNames);
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => ":---:|")));
        foreach (var epoch in epochs)
        {
            var cells = new List<string> { Number(epoch.TrainingLoss), epoch.Epoch + (epoch.Epoch == card.Run.BestEpoch ? " (kept)" : ""), (stepsPerEpoch * epoch.Epoch).ToString(CultureInfo.InvariantCulture) };
            if (first is not null)
            {
                cells.Add(epoch.Evaluation is null ? "-" : Number(epoch.Evaluation.Loss));
                cells.AddRange(epoch.Evaluation is null ? metricNames.Select(_ => "-") : Metrics(epoch.Evaluation).Select(m => Number(m.Value)));
            }
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
    }

    static IEnumerable<(string Name, string Value)> Hyperparameters(ModelCard card)
    {
        var o = card.Options;
        yield return ("learning_rate", Number(o.LearningRate, "0.##e0"));
        yield return ("train_batch_size", Int(o.BatchSize));
        if (o.GradientAccumulationSteps > 1)
        {
            yield return ("gradient_accumulation_steps", Int(o.GradientAccumulationSteps));
            yield return ("total_train_batch_size", Int(o.BatchSize * o.GradientAccumulationSteps));
        }
        yield return ("seed", Int(o.Seed));
        yield return ("optimizer", $"AdamW with betas=({Number(o.AdamBeta1)},{Number(o.AdamBeta2)}), epsilon={Number(o.AdamEpsilon, "0e0")} and weight_decay={Number(o.WeightDecay)} (none on biases and LayerNorm weights)");
        yield return ("lr_scheduler_type", "linear");
        if (o.GivenWarmup() is var (warmup, value)) // lr_scheduler_warmup_steps or _ratio, as transformers' cards name them
            yield return ("lr_scheduler_" + JsonNamingPolicy.SnakeCaseLower.ConvertName(warmup.Name), warmup.Kind == OptionKind.Whole ? Int((int)value) : Number(value));
        yield return ("num_epochs", Int(o.Epochs));
        yield return ("max_grad_norm", Number(o.MaxGradNorm));
        if (o.MaxLength is int maxLength) yield return ("max_length", Int(maxLength));
        if (card.LongText is { Strategy: not LongTextStrategy.Truncate } longText)
        {
            yield return ("long_text", LongTextNames.Name(longText.Strategy));
            yield return ("window", Int(longText.Window));
            if (longText.Strategy == LongTextStrategy.HeadTail) yield return ("head_tokens", Int(longText.Head));
            else
            {
                yield return ("stride", Int(longText.Stride));
                yield return ("aggregation", LongTextNames.Name(longText.Aggregation));
                if (longText.MaxWindowsPerDocument is int cap) yield return ("max_windows_per_document", Int(cap));
            }
        }
        if (o.GroupByLength) yield return ("group_by_length", "true");
        if (o.FreezeEmbeddings) yield return ("freeze_embeddings", "true");
        if (o.FreezeLayers > 0) yield return ("freeze_layers", Int(o.FreezeLayers));
        if (o.ClassWeights is { } weights) yield return ("class_weights", string.Join(", ", weights.Select(w => Number(w))));
        if (o.EarlyStoppingPatience is int patience) yield return ("early_stopping_patience", Int(patience));
        yield return ("metric_for_best_model", o.MetricForBestModel.ToString());
    }

    /// <summary>The metrics of a result: Hugging Face metric type, readable name, value.</summary>
    static List<(string Type, string Name, double Value)> Metrics(EvaluationResult result)
    {
        if (result.Classification is { } c)
            return [("accuracy", "Accuracy", c.Accuracy), ("f1", "Macro F1", c.MacroF1), ("precision", "Macro Precision", c.MacroPrecision), ("recall", "Macro Recall", c.MacroRecall)];
        if (result.MultiLabel is { } m)
            return [("accuracy", "Subset Accuracy", m.SubsetAccuracy), ("f1", "Micro F1", m.MicroF1), ("f1", "Macro F1", m.MacroF1), ("hamming_loss", "Hamming Loss", m.HammingLoss)];
        var r = result.Regression!;
        return [("mse", "Mean Squared Error", r.MeanSquaredError), ("mae", "Mean Absolute Error", r.MeanAbsoluteError)];
    }

    static string ProblemTag(ProblemType type) => type switch
    {
        ProblemType.MultiLabel => "multi-label-classification",
        ProblemType.Regression => "regression",
        _ => "single-label-classification",
    };

    static string ProblemDescription(ProblemType type) => type switch
    {
        ProblemType.MultiLabel => "Multi-label text classification (a sigmoid per label)",
        ProblemType.Regression => "Text regression",
        _ => "Single-label text classification (softmax over the labels)",
    };

    /// <summary>A sentence on how long texts are read; null for truncation, the default, which needs none.</summary>
    static string? LongTextDescription(LongTextSettings? settings) => settings switch
    {
        { Strategy: LongTextStrategy.HeadTail } s =>
            $"Texts longer than {Int(s.Window)} tokens are read as their first {Int(s.Head)} and last {Int(s.Tail)} tokens (head+tail, Sun et al. 2019).",
        { Strategy: LongTextStrategy.SlidingWindow } s =>
            $"Texts longer than {Int(s.Window)} tokens are read whole, in windows of {Int(s.Window)} tokens {Int(s.Stride)} apart, and the prediction "
            + $"is {AggregationDescription(s.Aggregation)}; training gave each window its text's label"
            + (s.MaxWindowsPerDocument is int cap ? $" and drew at most {Int(cap)} windows of a text per epoch." : "."),
        _ => null,
    };

    static string AggregationDescription(WindowAggregation aggregation) => aggregation switch
    {
        WindowAggregation.Max => "the highest of the windows' logits per label",
        WindowAggregation.MeanProbability => "the mean of the windows' probabilities",
        _ => "the mean of the windows' logits",
    };

    static string PoolingDescription(PoolingStrategy pooling) => pooling switch
    {
        PoolingStrategy.Mean => "the mean of the token vectors",
        PoolingStrategy.Cls => "the [CLS] token's vector",
        _ => "BERT's pooler output",
    };

    static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";

    static string Number(double value, string format = "0.####") => value.ToString(format, CultureInfo.InvariantCulture);

    static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A YAML double-quoted scalar: safe for any label or name.</summary>
    static string Yaml(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (char c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }

    /// <summary>A Markdown table cell: pipes escaped, line breaks removed.</summary>
    static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
