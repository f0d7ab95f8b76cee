using System.Globalization;
using Microsoft.CodeAnalysis;
using TypedBert.Training;
using TypedBert.Training.FewShot;

namespace TypedBert.Generators.Tests;

/// <summary>
/// Every row of TrainingOptionTable is one range, enforced alike at run time and at build time: a value just outside it is refused by
/// TrainingOptions.Validate (or FewShotOptions.Validate) and reported by the generator, on the attribute where it has an argument and
/// in best.json where a search writes it.
/// </summary>
public sealed class OptionTableTests
{
    /// <summary>The nearest value the row refuses: just below its lower bound.</summary>
    static double Outside(TrainingOption row)
    {
        var range = row.Range!;
        double below = range.MinimumIncluded ? range.Minimum - (range.Whole ? 1 : 0.5) : range.Minimum;
        Assert.False(range.Contains(below));
        return below;
    }

    static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static TheoryData<string> RangedRows() => [.. TrainingOptionTable.All.Where(r => r.Range is not null).Select(r => r.Name)];

    static TrainingOption Row(string name) => TrainingOptionTable.All.Single(r => r.Name == name);

    [Theory]
    [MemberData(nameof(RangedRows))]
    public void A_value_outside_the_row_is_refused_at_run_time_and_reported_at_build_time(string name)
    {
        var row = Row(name);
        double outside = Outside(row);

        // Run time: the options object the row belongs to refuses it, naming the option.
        var refused = Assert.Throws<ArgumentException>(() =>
        {
            if (TrainingOptionTable.FewShot.Contains(row))
            {
                var property = typeof(FewShotOptions).GetProperty(row.Name)!;
                var options = new FewShotOptions();
                property.SetValue(options, Convert.ChangeType(outside, property.PropertyType, CultureInfo.InvariantCulture));
                options.Validate();
            }
            else new TrainingOptions().With(row, outside).Validate();
        });
        Assert.Contains(row.Name, refused.Message);

        // Build time: on the attribute, where it has an argument (few-shot settings on a SetFit configuration).
        if (row.OnAttribute)
        {
            string method = TrainingOptionTable.FewShot.Contains(row) ? "Method = TrainingMethod.SetFit, " : "";
            var result = GeneratorHarness.Run($"using TypedBert;\n[BertLabels] public enum E {{ A, B }} [BertTrainingConfig(typeof(E), {method}{row.Name} = {Text(outside)})] public partial class C;");
            var error = Assert.Single(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
            Assert.StartsWith($"{row.Name} = {Text(outside)} ", error.GetMessage(CultureInfo.InvariantCulture));
        }
        // And in best.json, where a search writes it and the attribute does not override it.
        if (row.JsonKey is { } key)
        {
            string edit = (GeneratorTests.SearchResultForE.Contains($"\"{key}\":", StringComparison.Ordinal) ? "" : "+") + $"{key}={Text(outside)}";
            var result = GeneratorHarness.Run("using TypedBert;\n" + GeneratorTests.SearchConfig, [(GeneratorTests.SearchPath, GeneratorTests.SearchResultFile(edit))]);
            var error = Assert.Single(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
            Assert.Equal("TB0403", error.Id);
            Assert.StartsWith($"{key} = {Text(outside)} ", error.GetMessage(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Every_ranged_row_is_checked_somewhere_at_build_time_or_has_no_way_in()
    {
        // A row the generator cannot see (no attribute argument, no best.json key) is a run-time option only; list them so that a new
        // row that should be checked at build time is a decision, not an oversight.
        string[] runtimeOnly = [.. TrainingOptionTable.All.Where(r => r.Range is not null && !r.OnAttribute && r.JsonKey is null).Select(r => r.Name)];
        Assert.Equal(["AdamBeta1", "AdamBeta2", "AdamEpsilon", "MaxGradNorm", "EarlyStoppingPatience", "LoggingSteps", "SaveSteps", "SaveTotalLimit", "BodyBatchSize"], runtimeOnly);
    }

    [Fact]
    public void The_attribute_has_a_property_for_every_row_the_table_puts_on_it_with_the_table_default()
    {
        var attribute = new BertTrainingConfigAttribute(typeof(int));
        foreach (var row in TrainingOptionTable.OnAttribute)
        {
            var property = typeof(BertTrainingConfigAttribute).GetProperty(row.Name);
            Assert.True(property is not null, $"[BertTrainingConfig] has no {row.Name}");
            Assert.Equal(row.Default ?? 0, Convert.ToDouble(property.GetValue(attribute), CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Explicit_wins_over_searched_which_wins_over_the_default()
    {
        Assert.Equal(OptionSource.Explicit, OptionPrecedence.SourceOf(isExplicit: true, isSearched: true));
        Assert.Equal(OptionSource.Searched, OptionPrecedence.SourceOf(isExplicit: false, isSearched: true));
        Assert.Equal(OptionSource.Default, OptionPrecedence.SourceOf(isExplicit: false, isSearched: false));
        Assert.Equal("given", OptionPrecedence.Pick(true, "given", true, "searched"));
        Assert.Equal("searched", OptionPrecedence.Pick(false, "given", true, "searched"));
        Assert.Equal("given", OptionPrecedence.Pick(false, "given", false, "searched"));
    }
}
