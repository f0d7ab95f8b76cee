using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace TypedBert.Generators;

/// <summary>Every diagnostic of the generator. Each has a page under docs/diagnostics/ and an entry in AnalyzerReleases.*.md.</summary>
internal static class Diagnostics
{
    const string Category = "TypedBert";
    const string DocsBase = "https://github.com/typedbert/typedbert/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor LabelValuesNotContiguous = new(
        "TB0001", "Label values must be 0..N-1",
        "Member '{0}' of [BertLabels] enum '{1}' has value {2}; a single-label enum's values must be 0, 1, ..., {3} in order (they are the model's label ids). Remove the explicit values or number them from 0.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0001.md");

    public static readonly DiagnosticDescriptor TooFewLabels = new(
        "TB0002", "A classifier needs at least two labels",
        "[BertLabels] enum '{0}' has {1} label(s); add members until there are at least two (a [Flags] enum: two flags besides None)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0002.md");

    public static readonly DiagnosticDescriptor DuplicateLabel = new(
        "TB0003", "Two members have the same label",
        "Members '{0}' and '{1}' of [BertLabels] enum '{2}' both have the label '{3}' (labels are compared ignoring case); give one of them a different [Label(\"...\")]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0003.md");

    public static readonly DiagnosticDescriptor UnreachableEnum = new(
        "TB0004", "The enum cannot be reached by generated code",
        "[BertLabels] enum '{0}' is {1}; declare it at namespace level or in a non-generic type, and make it public or internal",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0004.md");

    public static readonly DiagnosticDescriptor FlagValuesNotPowersOfTwo = new(
        "TB0005", "Flag values must be distinct powers of two",
        "Member '{0}' of [BertLabels, Flags] enum '{1}' has value {2}; every flag must be a distinct power of two (1, 2, 4, ...), plus an optional None = 0. Remove combined values from the enum.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0005.md");

    public static readonly DiagnosticDescriptor EmptyLabelDescription = new(
        "TB0006", "A label description is empty",
        "Member '{0}' of [BertLabels] enum '{1}' has an empty description; write a sentence about the label, or remove it (a label without descriptions is described by its name)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0006.md");

    public static readonly DiagnosticDescriptor DuplicateLabelDescription = new(
        "TB0007", "Two label descriptions are the same",
        "Members '{0}' and '{1}' of [BertLabels] enum '{2}' have the same description '{3}' (compared ignoring case), which cannot tell labels apart; reword one, or remove the repeat",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0007.md");

    public static readonly DiagnosticDescriptor DescriptionOnFlagsEnum = new(
        "TB0008", "A description on a [Flags] enum",
        "Member '{0}' of [BertLabels, Flags] enum '{1}' has a description, but descriptions start a zero-shot classifier, which picks one label, and a [Flags] enum is multi-label; remove the description, or remove [Flags] if one label per text is meant",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0008.md");

    public static readonly DiagnosticDescriptor MaxLengthTooLarge = new(
        "TB0101", "MaxLength exceeds the model's positions",
        "MaxLength = {0} exceeds the {1} positions of base model '{2}'; use at most {1} (longer texts can be read with a sliding window at prediction time)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0101.md");

    public static readonly DiagnosticDescriptor TooManyFrozenLayers = new(
        "TB0102", "FreezeLayers exceeds the model's layers",
        "FreezeLayers = {0} exceeds the {1} encoder layers of base model '{2}'; freeze at most {1} layers",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0102.md");

    public static readonly DiagnosticDescriptor CountOutOfRange = new(
        "TB0103", "A training option is out of range",
        "{0} = {1} is out of range; use {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0103.md");

    public static readonly DiagnosticDescriptor LearningRateOutOfRange = new(
        "TB0104", "The learning rate is not usable",
        "LearningRate = {0} is outside {1}; fine-tuning BERT uses 1e-5 to 1e-4",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0104.md");

    public static readonly DiagnosticDescriptor UnusualLearningRate = new(
        "TB0105", "Unusual learning rate for fine-tuning",
        "LearningRate = {0} is outside 1e-5..1e-4, the range that fine-tuning BERT usually needs; check the exponent",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0105.md");

    public static readonly DiagnosticDescriptor ManyEpochs = new(
        "TB0106", "Many epochs for fine-tuning",
        "Epochs = {0}: fine-tuning usually needs 2-4 epochs; more tends to overfit (use early stopping if you keep them)",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0106.md");

    public static readonly DiagnosticDescriptor MultiLabelWithoutFlags = new(
        "TB0107", "Multi-label configuration on an enum without [Flags]",
        "MultiLabel = true, but '{0}' is not a [Flags] enum, so its classifier picks exactly one label; mark the enum [Flags] (values 1, 2, 4, ...) or remove MultiLabel",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0107.md");

    public static readonly DiagnosticDescriptor NotALabelEnum = new(
        "TB0108", "The label type is not a [BertLabels] enum",
        "'{0}' is not an enum marked [BertLabels]; pass typeof(YourLabels) where YourLabels is a [BertLabels] enum",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0108.md");

    public static readonly DiagnosticDescriptor ConfigNotPartial = new(
        "TB0109", "A training configuration must be a partial class at namespace level",
        "'{0}' must be declared 'partial' and at namespace level, so that the generator can add its Options to it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0109.md");

    public static readonly DiagnosticDescriptor UnknownTrainingLabel = new(
        "TB0201", "A label in the training data is not a label of the enum",
        "Label '{0}' in the training data ({1} row(s), the first one here) is not a label of [BertLabels] enum '{2}'; closest: {3}. Correct the data, or add the label to the enum (a member, or [Label(\"{0}\")] on the member it means).",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0201.md");

    public static readonly DiagnosticDescriptor LabelWithoutExamples = new(
        "TB0202", "A label has no example in the training data",
        "Label '{0}' of [BertLabels] enum '{1}' has no example among the {2} rows of the training data, so the model cannot learn it; add rows labelled '{0}', or remove the member",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0202.md");

    public static readonly DiagnosticDescriptor ClassImbalance = new(
        "TB0203", "The training data is imbalanced",
        "Label '{0}' has {1} examples, {2} times the {3} of the rarest label '{4}', and the model will lean towards it; set TrainingOptions.ClassWeights (for example inverse frequencies) or add examples of the rare labels",
        Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0203.md");

    public static readonly DiagnosticDescriptor TrainingDataUnreadable = new(
        "TB0204", "The training data cannot be read",
        "Training data '{0}' of [BertLabels] enum '{1}' cannot be read: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0204.md");

    public static readonly DiagnosticDescriptor TrainingDataColumnMissing = new(
        "TB0205", "A column of the training data is missing",
        "Training data '{0}' has no column '{1}' (its columns: {2}); name the column that holds the {3} with [BertLabels({4} = \"...\")], or fix the header",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0205.md");

    public static readonly DiagnosticDescriptor ModelLabelsDiffer = new(
        "TB0301", "The model folder's labels differ from the enum",
        "The model in '{0}' does not match [BertLabels] enum '{1}': {2}. Train and save the model again for this enum, or change the enum to the model's labels in id order.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0301.md");

    public static readonly DiagnosticDescriptor ModelConfigUnreadable = new(
        "TB0302", "The model folder's config.json cannot be checked",
        "The config.json of model folder '{0}' cannot be compared with [BertLabels] enum '{1}': {2}; save the model again with TypedBert (Save writes id2label)",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0302.md");

    public static readonly DiagnosticDescriptor FewShotSettingOutOfRange = new(
        "TB0110", "A few-shot setting is out of range",
        "{0} = {1} is outside {2}; set a value in that range (the defaults are SetFit's: PairIterations 20, BodyLearningRate 2e-5, HeadSteps 300)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0110.md");

    public static readonly DiagnosticDescriptor FewShotSettingIgnored = new(
        "TB0111", "A few-shot setting on a fine-tuning configuration",
        "{0} applies to few-shot training only and is ignored here; set Method = TrainingMethod.SetFit, or remove {0}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0111.md");

    public static readonly DiagnosticDescriptor LongTextWindowTooLarge = new(
        "TB0112", "The long-text window exceeds the model's positions",
        "Window = {0} exceeds the {1} positions of base model '{2}'; use a window of {3} to {1} tokens ([CLS] and [SEP] included), or leave Window out to read MaxLength tokens at a time",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0112.md");

    public static readonly DiagnosticDescriptor StrideOutOfRange = new(
        "TB0113", "The stride does not fit the window",
        "Stride = {0} is outside {1}, the content tokens of {2} (the window minus [CLS] and [SEP]); windows may start at most a window's content apart so that no token is skipped: use a stride in that range, or leave Stride out for half the content",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0113.md");

    public static readonly DiagnosticDescriptor HeadTokensOutOfRange = new(
        "TB0114", "Head and tail do not fit the window",
        "HeadTokens = {0} is outside {1}, the content tokens of {2} (the window minus [CLS] and [SEP]); the head and the tail together fill that content, the tail taking what the head leaves: use a head in that range, or leave HeadTokens out for a quarter of the content",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0114.md");

    public static readonly DiagnosticDescriptor LongTextSettingOutOfRange = new(
        "TB0115", "A long-text setting is out of range",
        "{0} = {1} is outside {2}; set a value in that range, or leave {0} out for {3}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0115.md");

    public static readonly DiagnosticDescriptor LongTextSettingIgnored = new(
        "TB0116", "A long-text setting that the configuration ignores",
        "{0} is ignored {1}; {2}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0116.md");

    public static readonly DiagnosticDescriptor SearchResultMissing = new(
        "TB0401", "The search result is not an AdditionalFiles item",
        "Search result '{0}' of '{1}' is not an AdditionalFiles item of this project; the build passes it to the generator when the file exists at that path (relative to the project folder): run typedbert tune --output {2} first, correct the path, or add <AdditionalFiles Include=\"{0}\" /> to the project",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0401.md");

    public static readonly DiagnosticDescriptor SearchResultUnreadable = new(
        "TB0402", "The search result cannot be read",
        "Search result '{0}' cannot be read: {1}; name the best.json that typedbert tune wrote, or write it again with typedbert tune",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0402.md");

    public static readonly DiagnosticDescriptor SearchValueOutOfRange = new(
        "TB0403", "A value of the search result is out of range",
        "{0} = {1} in search result '{2}' (trial {3}) is outside {4}; search again with a space inside that range, or write {5} on [BertTrainingConfig], which wins over the file",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0403.md");

    public static readonly DiagnosticDescriptor SearchForAnotherModel = new(
        "TB0404", "The search result was found for another base model",
        "Search result '{0}' was found with base model '{1}', but '{2}' trains '{3}', for which its values were not searched; set Model = \"{1}\" on [BertTrainingConfig] (or [BertLabels]), or search again with --model {3}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0404.md");

    public static readonly DiagnosticDescriptor SearchForOtherLabels = new(
        "TB0405", "The search result was found for other labels",
        "Search result '{0}' was found with other labels than [BertLabels] enum '{1}': {2}; search again on data labelled with the enum's labels, or change the enum",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0405.md");

    public static readonly DiagnosticDescriptor SearchResultWithFewShot = new(
        "TB0406", "A search result on a few-shot configuration",
        "SearchResult does not apply to few-shot training: typedbert tune searches the options of fine-tuning, which Method = TrainingMethod.SetFit does not read; remove SearchResult, or fine-tune (Method = TrainingMethod.FineTune)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: DocsBase + "TB0406.md");

    public static IReadOnlyDictionary<string, DiagnosticDescriptor> ById { get; } = new Dictionary<string, DiagnosticDescriptor>
    {
        [LabelValuesNotContiguous.Id] = LabelValuesNotContiguous,
        [TooFewLabels.Id] = TooFewLabels,
        [DuplicateLabel.Id] = DuplicateLabel,
        [EmptyLabelDescription.Id] = EmptyLabelDescription,
        [DuplicateLabelDescription.Id] = DuplicateLabelDescription,
        [DescriptionOnFlagsEnum.Id] = DescriptionOnFlagsEnum,
        [UnreachableEnum.Id] = UnreachableEnum,
        [FlagValuesNotPowersOfTwo.Id] = FlagValuesNotPowersOfTwo,
        [MaxLengthTooLarge.Id] = MaxLengthTooLarge,
        [TooManyFrozenLayers.Id] = TooManyFrozenLayers,
        [CountOutOfRange.Id] = CountOutOfRange,
        [LearningRateOutOfRange.Id] = LearningRateOutOfRange,
        [UnusualLearningRate.Id] = UnusualLearningRate,
        [ManyEpochs.Id] = ManyEpochs,
        [MultiLabelWithoutFlags.Id] = MultiLabelWithoutFlags,
        [NotALabelEnum.Id] = NotALabelEnum,
        [ConfigNotPartial.Id] = ConfigNotPartial,
        [UnknownTrainingLabel.Id] = UnknownTrainingLabel,
        [LabelWithoutExamples.Id] = LabelWithoutExamples,
        [ClassImbalance.Id] = ClassImbalance,
        [TrainingDataUnreadable.Id] = TrainingDataUnreadable,
        [TrainingDataColumnMissing.Id] = TrainingDataColumnMissing,
        [ModelLabelsDiffer.Id] = ModelLabelsDiffer,
        [ModelConfigUnreadable.Id] = ModelConfigUnreadable,
        [FewShotSettingOutOfRange.Id] = FewShotSettingOutOfRange,
        [FewShotSettingIgnored.Id] = FewShotSettingIgnored,
        [LongTextWindowTooLarge.Id] = LongTextWindowTooLarge,
        [StrideOutOfRange.Id] = StrideOutOfRange,
        [HeadTokensOutOfRange.Id] = HeadTokensOutOfRange,
        [LongTextSettingOutOfRange.Id] = LongTextSettingOutOfRange,
        [LongTextSettingIgnored.Id] = LongTextSettingIgnored,
        [SearchResultMissing.Id] = SearchResultMissing,
        [SearchResultUnreadable.Id] = SearchResultUnreadable,
        [SearchValueOutOfRange.Id] = SearchValueOutOfRange,
        [SearchForAnotherModel.Id] = SearchForAnotherModel,
        [SearchForOtherLabels.Id] = SearchForOtherLabels,
        [SearchResultWithFewShot.Id] = SearchResultWithFewShot,
    };
}
