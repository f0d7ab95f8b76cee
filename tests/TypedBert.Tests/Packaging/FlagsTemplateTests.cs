using TypedBert.Classification;
using Xunit.Abstractions;

namespace TypedBert.Tests.Packaging;

/// <summary>
/// `dotnet new typedbert -n My.Tickets --flags`: a project name that is no identifier still gives a valid enum, and the
/// multi-label defaults learn the template's own support-ticket rows. The model the program saved is read back here and
/// scored on data/test.tsv by this test's own count, not by the program's evaluation.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(TemplateJourneys.Name)]
public class FlagsTemplateTests(TemplateFeed feed, ITestOutputHelper output)
{
    // What the defaults reach on the 17 test rows: micro F1 0.90, subset accuracy 82 %. The former defaults (2 epochs of
    // batches of 8) reached 0.37 and 24 %, predicting no label for most rows.
    const double MicroF1Floor = 0.75;
    const double SubsetAccuracyFloor = 0.6;

    [Fact]
    public void Flags_template_named_My_Tickets_builds_and_its_defaults_predict_the_test_rows_label_sets()
    {
        string project = feed.Create(feed.Folder("flags"), "typedbert", "My.Tickets", "--flags");
        Assert.True(File.Exists(Path.Combine(project, "My.Tickets.csproj")));
        string labels = File.ReadAllText(Path.Combine(project, "Labels.cs"));
        Assert.Contains("public enum MyTickets { None = 0, Billing = 1 << 0, Outage = 1 << 1, Account = 1 << 2 }", labels);
        Assert.Contains("[BertTrainingConfig(typeof(MyTickets),", labels);
        TemplateFeed.BuildClean(project);   // no warning: no TB0106 for the epochs, no TB0202 for the data

        var run = ProcessRunner.Run(ProcessRunner.Dotnet, [TemplateFeed.Program(project)], project, TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.ToString());
        output.WriteLine(run.StandardOutput);

        var rows = File.ReadLines(Path.Combine(project, "data", "test.tsv")).Skip(1).Where(line => line.Length > 0)
            .Select(line => line.Split('\t')).Select(fields => (Text: fields[0], Labels: fields[1].Split('|').ToHashSet())).ToList();
        Assert.Equal(17, rows.Count);
        using var classifier = TextClassifier.Load(Path.Combine(project, "model"));
        Assert.Equal(["Billing", "Outage", "Account"], classifier.Labels);
        var predictions = classifier.PredictBatch([.. rows.Select(row => row.Text)]);

        int truePositives = 0, predicted = 0, actual = 0, exact = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var labelSet = predictions[i].Labels().ToHashSet();
            truePositives += labelSet.Intersect(rows[i].Labels).Count();
            predicted += labelSet.Count;
            actual += rows[i].Labels.Count;
            if (labelSet.SetEquals(rows[i].Labels)) exact++;
        }
        double microF1 = 2.0 * truePositives / (predicted + actual);
        double subsetAccuracy = (double)exact / rows.Count;
        output.WriteLine($"micro F1 {microF1:0.000}, subset accuracy {subsetAccuracy:P1}");
        Assert.True(microF1 >= MicroF1Floor, $"micro F1 {microF1:0.000} < {MicroF1Floor}; subset accuracy {subsetAccuracy:P1}\n{run.StandardOutput}");
        Assert.True(subsetAccuracy >= SubsetAccuracyFloor, $"subset accuracy {subsetAccuracy:P1} < {SubsetAccuracyFloor:P0}\n{run.StandardOutput}");
    }
}
