using System.Text.Json;
using TypedBert.Classification;

namespace TypedBert.Tests.Cli;

/// <summary><c>typedbert train --method setfit</c> with the real executable.</summary>
public class FewShotCommandTests
{
    [Fact]
    public void Setfit_trains_saves_a_loadable_classifier_and_reports_its_pairs()
    {
        string folder = Directory.CreateTempSubdirectory("typedbert-setfit-").FullName;
        try
        {
            var lines = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "examples", "data", "sentiment", "train.tsv"));
            File.WriteAllLines(Path.Combine(folder, "train.tsv"), [lines[0], .. lines[1..7], .. lines[^6..]]); // 6 + 6 rows
            var train = CommandLineTests.Typedbert(folder, "train", "--method", "setfit", "--data", "train.tsv", "--test", "train.tsv", "--output", "model",
                "--pair-iterations", "2", "--batch-size", "8", "--max-length", "32", "--head-steps", "100", "--json", "-");
            Assert.True(train.ExitCode == 0, train.ToString());
            using var json = JsonDocument.Parse(train.StandardOutput);
            var root = json.RootElement;
            Assert.Equal("setfit", root.GetProperty("method").GetString());
            Assert.Equal(2 * 2 * 12, root.GetProperty("pairs").GetInt32());
            Assert.Equal(6, root.GetProperty("body_steps").GetInt32()); // 48 pairs in batches of 8
            Assert.Equal(12, root.GetProperty("test").GetProperty("count").GetInt32());
            using var classifier = TextClassifier.Load(Path.Combine(folder, "model"));
            Assert.Equal(2, classifier.Labels.Count);

            // Every pair within each batch: the 12 examples fit one batch of 2 x 8, so a round is one step of 66 pairs.
            var inBatch = CommandLineTests.Typedbert(folder, "train", "--method", "setfit", "--pairs", "all-in-batch", "--data", "train.tsv", "--output", "model2",
                "--pair-iterations", "2", "--batch-size", "8", "--max-length", "32", "--head-steps", "100", "--json", "-");
            Assert.True(inBatch.ExitCode == 0, inBatch.ToString());
            using (var inBatchJson = JsonDocument.Parse(inBatch.StandardOutput))
            {
                Assert.Equal(2 * 66, inBatchJson.RootElement.GetProperty("pairs").GetInt32());
                Assert.Equal(2, inBatchJson.RootElement.GetProperty("body_steps").GetInt32());
            }

            var bad = CommandLineTests.Typedbert(folder, "train", "--method", "prompting", "--data", "train.tsv", "--output", "other");
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("prompting", bad.StandardError);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
