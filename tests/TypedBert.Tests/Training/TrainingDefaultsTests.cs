using TypedBert.Classification;
using TypedBert.Cli.Commands;
using TypedBert.Training;

namespace TypedBert.Tests.Training;

[BertLabels]
public enum DefaultsProbe { First, Second }

/// <summary>A training configuration that sets nothing: its generated Options are the generator's idea of the defaults.</summary>
[BertTrainingConfig(typeof(DefaultsProbe))]
public partial class DefaultsProbeTraining;

/// <summary>
/// <see cref="TrainingOptions"/>, <c>[BertTrainingConfig]</c>, the options the source generator writes for an attribute that sets
/// nothing, and <c>typedbert train</c> without options all start from the same values (<see cref="TrainingDefaults"/>).
/// </summary>
public sealed class TrainingDefaultsTests
{
    [Fact]
    public void Generated_options_of_an_empty_attribute_equal_new_TrainingOptions()
    {
        // Record equality: every property, including those the attribute cannot set.
        Assert.Equal(new TrainingOptions(), DefaultsProbeTraining.Options);
    }

    [Fact]
    public void The_attribute_defaults_are_the_options_defaults()
    {
        var options = new TrainingOptions();
        var attribute = new BertTrainingConfigAttribute(typeof(DefaultsProbe));
        Assert.Equal(options.Epochs, attribute.Epochs);
        Assert.Equal(options.LearningRate, attribute.LearningRate);
        Assert.Equal(options.BatchSize, attribute.BatchSize);
        Assert.Equal(options.GradientAccumulationSteps, attribute.GradientAccumulationSteps);
        Assert.Equal(options.WarmupRatio, attribute.WarmupRatio);
        Assert.Equal(options.WeightDecay, attribute.WeightDecay);
        Assert.Equal(options.FreezeLayers, attribute.FreezeLayers);
        Assert.Equal(options.FreezeEmbeddings, attribute.FreezeEmbeddings);
        Assert.Equal(options.Seed, attribute.Seed);
        Assert.False(attribute.MultiLabel);   // the classifier's problem type, not a training option: single-label unless asked
        // 0 stands for "not set" where the attribute cannot hold null.
        Assert.Null(options.WarmupSteps);
        Assert.Equal(0, attribute.WarmupSteps);
        Assert.Null(options.MaxLength);
        Assert.Equal(0, attribute.MaxLength);
        // Long text: an attribute that writes none leaves LongText null (the classifier's own strategy); its enums start where LongTextOptions does.
        var longText = new LongTextOptions();
        Assert.Null(options.LongText);
        Assert.Equal(longText.Strategy, attribute.LongText);
        Assert.Equal(longText.Aggregation, attribute.Aggregation);
    }

    [Fact]
    public void Typedbert_train_without_options_uses_the_options_defaults()
    {
        var options = new TrainingOptions();
        var parsed = TrainCommand.Create().Parse(["--data", "train.tsv", "--output", "model"]);
        Assert.Empty(parsed.Errors);
        Assert.Equal(options.Epochs, parsed.GetValue<int>("--epochs"));
        Assert.Equal(options.BatchSize, parsed.GetValue<int>("--batch-size"));
        Assert.Equal(options.GradientAccumulationSteps, parsed.GetValue<int>("--gradient-accumulation-steps"));
        Assert.Equal(options.LearningRate, parsed.GetValue<double>("--learning-rate"));
        Assert.Equal(options.WarmupSteps, parsed.GetValue<int?>("--warmup-steps"));
        Assert.Equal(options.WarmupRatio, parsed.GetValue<double>("--warmup-ratio"));
        Assert.Equal(options.WeightDecay, parsed.GetValue<double>("--weight-decay"));
        Assert.Equal(options.MaxGradNorm, parsed.GetValue<double>("--max-grad-norm"));
        Assert.Equal(options.LayerwiseLearningRateDecay, parsed.GetValue<double>("--layer-lr-decay"));
        Assert.Equal(options.LabelSmoothingFactor, parsed.GetValue<double>("--label-smoothing"));
        Assert.Equal(options.Seed, parsed.GetValue<int>("--seed"));
        Assert.Equal(options.MaxLength, parsed.GetValue<int?>("--max-length"));
        Assert.Equal(options.GroupByLength, parsed.GetValue<bool>("--group-by-length"));
        Assert.Equal(options.FreezeEmbeddings, parsed.GetValue<bool>("--freeze-embeddings"));
        Assert.Equal(options.FreezeLayers, parsed.GetValue<int>("--freeze-layers"));
        Assert.Equal(options.EarlyStoppingPatience, parsed.GetValue<int?>("--early-stopping-patience"));
        Assert.Equal(options.BFloat16MixedPrecision, parsed.GetValue<bool>("--bf16"));
        Assert.Equal(options.LoggingSteps, parsed.GetValue<int>("--logging-steps"));
    }

    [Fact]
    public void Every_row_of_the_table_with_a_flag_is_an_option_of_train_with_the_row_help_and_the_options_default()
    {
        var command = TrainCommand.Create();
        var parsed = command.Parse(["--data", "train.tsv", "--output", "model"]);
        Assert.Empty(parsed.Errors);
        var getValue = typeof(System.CommandLine.ParseResult).GetMethods()
            .Single(m => m.Name == "GetValue" && m.IsGenericMethod && m.GetParameters().Single().ParameterType == typeof(string));
        var defaults = new TrainingOptions().Values().ToDictionary(v => v.Option, v => v.Value);
        var fewShot = new TypedBert.Training.FewShot.FewShotOptions();
        foreach (var row in TrainingOptionTable.All.Where(r => r.CliFlag is not null))
        {
            var option = Assert.Single(command.Options, o => o.Name == row.CliFlag);
            Assert.Equal(row.Help, option.Description);
            object? value = getValue.MakeGenericMethod(option.ValueType).Invoke(parsed, [row.CliFlag]);
            double? number = value switch { null => null, bool on => on ? 1 : 0, _ => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) };
            // The checkpoint settings are the command line's own: train saves every 500 steps and keeps two by default.
            double? expected = row == TrainingOptionTable.SaveSteps ? 500 : row == TrainingOptionTable.SaveTotalLimit ? 2
                : TrainingOptionTable.FewShot.Contains(row) ? Convert.ToDouble(typeof(TypedBert.Training.FewShot.FewShotOptions).GetProperty(row.Name)!.GetValue(fewShot), System.Globalization.CultureInfo.InvariantCulture)
                : defaults[row];
            Assert.True(expected == number, $"{row.CliFlag}: {number}, the options' default is {expected}");
        }
    }
}
