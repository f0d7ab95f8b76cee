using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using TypedBert.Generators.Model;
using TypedBert.Training;

namespace TypedBert.Generators.Emitting;

/// <summary>Writes the typed options of a <c>[BertTrainingConfig]</c> class.</summary>
internal static class TrainingConfigEmitter
{
    /// <summary>The <c>FewShotOptions</c> property of a SetFit configuration (nothing for fine-tuning).</summary>
    static string FewShot(TrainingConfigSpec spec)
    {
        if (spec.FewShot is not { } fewShot) return "";
        return $$"""
                /// <summary>The few-shot trainer's options (Method = SetFit), from the attribute's constants.</summary>
                public static global::TypedBert.Training.FewShot.FewShotOptions FewShotOptions { get; } = new global::TypedBert.Training.FewShot.FewShotOptions
                {
                    PairIterations = {{I(fewShot.PairIterations)}},
                    BodyLearningRate = {{D(fewShot.BodyLearningRate)}},
                    BodyBatchSize = {{I(spec.Whole(TrainingOptionTable.BatchSize))}},
                    HeadSteps = {{I(fewShot.HeadSteps)}},
                    MaxLength = {{Value(TrainingOptionTable.MaxLength, spec[TrainingOptionTable.MaxLength])}},
                    Seed = {{I(spec.Whole(TrainingOptionTable.Seed))}},
                };

            """;
    }

    /// <summary>
    /// The <c>LongText</c> initializer of the trainer's options, or nothing when the attribute sets no long-text setting (the
    /// options' null then leaves the classifier's own strategy, as for hand-written options).
    /// </summary>
    static string LongText(TrainingConfigSpec spec)
    {
        if (spec.LongText is not { } longText) return "";
        static string Optional(int? value) => value is int number ? I(number) : "null";
        return $$"""
                    LongText = new global::TypedBert.Classification.LongTextOptions
                    {
                        Strategy = global::TypedBert.Classification.LongTextStrategy.{{longText.Strategy}},
                        WindowTokens = {{Optional(longText.Window)}},
                        Stride = {{Optional(longText.Stride)}},
                        HeadTokens = {{Optional(longText.HeadTokens)}},
                        Aggregation = global::TypedBert.Classification.WindowAggregation.{{longText.Aggregation}},
                        MaxWindowsPerDocument = {{Optional(longText.MaxWindowsPerDocument)}},
                    },

            """;
    }

    static string D(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Where an option's value came from, as a trailing comment; nothing without a search result.</summary>
    static string From(TrainingConfigSpec spec, string option)
    {
        if (spec.Search is not { } search) return "";
        foreach (var written in search.Overrides)
            if (written.Option == option) return $"   // [BertTrainingConfig] (the search: {written.FileValue})";
        return "   // search";
    }

    /// <summary>One line of a comment: the file's free text (where the search was evaluated) without line breaks.</summary>
    static string OneLine(string text) => text.Replace("\r\n", " ").Replace('\r', ' ').Replace('\n', ' ');

    /// <summary>The search result's constants and the comment that says where the options come from (nothing without one).</summary>
    static string Search(TrainingConfigSpec spec)
    {
        if (spec.Search is not { } search) return "";
        string evaluation = $"{search.Metric} {D(search.Value)}" + (search.BestEpoch is int epoch ? $" after epoch {I(epoch)}" : "")
            + (search.EvaluatedOn is { } on ? $" on {OneLine(on)}" : "");
        return $$"""
                /// <summary>The search result (typedbert tune's best.json) that <see cref="Options"/> come from, relative to the project folder.</summary>
                public const string SearchResult = {{SymbolDisplay.FormatLiteral(search.Path, quote: true)}};

                /// <summary>The trial of <see cref="SearchResult"/> whose configuration <see cref="Options"/> and <see cref="CreateClassifier"/> hold.</summary>
                public const int SearchTrial = {{I(search.Trial)}};

                // The values marked "search" are trial {{I(search.Trial)}} of {{OneLine(search.Path)}} ({{evaluation}}).
                // An argument written on [BertTrainingConfig] wins over the file, as an option on the command line wins over train --config.

            """;
    }

    /// <summary>A value as C# writes it for its row's kind: a whole number, a real number, true or false, or null.</summary>
    static string Value(TrainingOption option, double? value) => value switch
    {
        null => "null",
        double number when option.Kind == OptionKind.Switch => number > 0 ? "true" : "false",
        double number when option.Kind == OptionKind.Whole => I((int)number),
        double number => D(number),
    };

    /// <summary>
    /// One initializer line per option of the spec, in the table's order; the options only a search result sets (the attribute has no
    /// argument for them) only with one. A search's options say where their value came from.
    /// </summary>
    static string Options(TrainingConfigSpec spec)
    {
        var lines = new StringBuilder();
        foreach (var value in spec.Options)
        {
            var option = TrainingOptionTable.All.First(o => o.Name == value.Name);
            if (!option.OnAttribute && spec.Search is null) continue;
            string from = option.JsonKey is null ? "" : From(spec, option.Name);
            lines.Append($"        {option.Name} = {Value(option, value.Value)},{from}\n");
        }
        return lines.ToString();
    }

    public static string Emit(TrainingConfigSpec spec)
    {
        string classifier = spec.LabelEnumFullyQualifiedName.Substring(0, spec.LabelEnumFullyQualifiedName.Length - spec.LabelEnumName.Length) + spec.LabelEnumName + "Classifier";
        string pooling = spec.Pooling is { } strategy ? $"global::TypedBert.Classification.PoolingStrategy.{strategy}" : "null";
        string optionsSource = spec.Search is null ? "from the attribute's constants" : "from the search result and the attribute's constants";
        string poolingSource = spec.Search is null ? "" : spec.Pooling is null ? ", the pooling the base model recommends (the search left it)" : $", the search's pooling (<c>{spec.Pooling}</c>)";
        string body = $$"""
            /// <summary>Fine-tuning settings for <see cref="{{spec.LabelEnumFullyQualifiedName.Replace("global::", "")}}"/>, checked at compile time.</summary>
            [global::System.CodeDom.Compiler.GeneratedCode("TypedBert.Generators", "0.1.0")]
            partial class {{spec.ClassName}}
            {
                /// <summary>The base model the classifier starts from.</summary>
                public const string BaseModel = {{SymbolDisplay.FormatLiteral(spec.BaseModel, quote: true)}};

            {{Search(spec)}}    /// <summary>The trainer's options, {{optionsSource}}.</summary>
                public static global::TypedBert.Training.TrainingOptions Options { get; } = new global::TypedBert.Training.TrainingOptions
                {
            {{Options(spec)}}{{LongText(spec)}}    };

            {{FewShot(spec)}}
                /// <summary>A new classifier: <see cref="BaseModel"/> with a fresh head for the labels, seeded with the options' seed{{poolingSource}}.</summary>
                public static {{classifier}} CreateClassifier(global::TorchSharp.torch.Device? device = null) => {{classifier}}.FromPretrained(BaseModel, device, pooling: {{pooling}}, seed: {{I(spec.Whole(TrainingOptionTable.Seed))}});
            }
            """;
        var text = new StringBuilder("// <auto-generated/>\n#nullable enable\n");
        body = body.Replace("\n\n\n", "\n\n");
        if (spec.Namespace is null) return text.Append(body).Append('\n').ToString();
        text.Append($"namespace {spec.Namespace}\n{{\n");
        foreach (var line in body.Split('\n')) text.Append(line.Length == 0 ? "" : "    " + line).Append('\n');
        return text.Append("}\n").ToString();
    }
}
