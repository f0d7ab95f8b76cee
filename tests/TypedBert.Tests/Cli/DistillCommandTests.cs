using System.Text.Json;
using TypedBert.Classification;

namespace TypedBert.Tests.Cli;

/// <summary>Two saved MiniLM classifiers (untrained heads) for the distillation commands: one with Negative/Positive, one with other labels.</summary>
public sealed class DistillTeachers : IDisposable
{
    public DistillTeachers()
    {
        Folder = Directory.CreateTempSubdirectory("typedbert-distill-cli-").FullName;
        using (var teacher = TextClassifier.FromPretrained("minilm-l6-uncased", ["Negative", "Positive"], seed: 1)) teacher.Save(Path.Combine(Folder, "teacher"));
        using (var other = TextClassifier.FromPretrained("minilm-l6-uncased", ["Bad", "Good"], seed: 2)) other.Save(Path.Combine(Folder, "other"));
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "examples", "data", "sentiment", "train.tsv"));
        File.WriteAllLines(Path.Combine(Folder, "train.tsv"), [lines[0], .. lines[1..7], .. lines[^6..]]); // 6 + 6 labelled rows
        var test = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "examples", "data", "sentiment", "test.tsv"));
        File.WriteAllLines(Path.Combine(Folder, "test.tsv"), [test[0], .. test[1..5], .. test[^4..]]);
        // The pool: texts of the training file that neither the labelled rows nor the test use, with their labels dropped.
        File.WriteAllLines(Path.Combine(Folder, "pool.tsv"), ["text", .. lines[20..28].Select(l => l.Split('\t')[0])]);
    }

    public string Folder { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary><c>typedbert distill</c> and <c>train --unlabeled</c> with the real executable.</summary>
public class DistillCommandTests(DistillTeachers teachers) : IClassFixture<DistillTeachers>
{
    ProcessResult Typedbert(params string[] arguments) => CommandLineTests.Typedbert(teachers.Folder, arguments);

    void AssertRefused(ProcessResult result, int exitCode, params string[] expected)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        foreach (var text in expected) Assert.Contains(text, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError); // one line, no stack trace
        Assert.DoesNotContain("epoch 1", result.StandardOutput + result.StandardError); // refused before any training
        Assert.False(Directory.Exists(Path.Combine(teachers.Folder, "refused")));
    }

    [Fact]
    public void Bad_input_is_refused_before_any_training_with_the_option_and_the_fix()
    {
        File.WriteAllLines(Path.Combine(teachers.Folder, "empty.tsv"), ["text"]);
        File.WriteAllLines(Path.Combine(teachers.Folder, "sentences.tsv"), ["sentence", "a fine film"]);
        var test = File.ReadAllLines(Path.Combine(teachers.Folder, "test.tsv"));
        File.WriteAllLines(Path.Combine(teachers.Folder, "leaky.tsv"), ["text", "an unseen text", test[1].Split('\t')[0], test[^1].Split('\t')[0]]);
        string[] distill = ["distill", "--teacher", "teacher", "--output", "refused", "--max-length", "32", "--epochs", "1"];

        AssertRefused(Typedbert([.. distill, "--unlabeled", "empty.tsv"]), 1, "--unlabeled", "empty.tsv", "no data rows");
        AssertRefused(Typedbert([.. distill, "--unlabeled", "sentences.tsv"]), 1, "--unlabeled", "no column \"text\"", "--text-column");
        AssertRefused(Typedbert([.. distill, "--unlabeled", "leaky.tsv", "--test", "test.tsv"]), 1, "shares 2 text(s) with --test test.tsv", "remove them from the pool");
        AssertRefused(Typedbert([.. distill, "--unlabeled", "pool.tsv", "--student-layers", "7"]), 2, "--student-layers 7", "which has 6; ask for 1 to 6");
        AssertRefused(Typedbert([.. distill, "--unlabeled", "pool.tsv", "--teacher", "other"]), 1, "--teacher other has the labels [Bad, Good], not [Negative, Positive] as --teacher teacher", "same order");
        AssertRefused(Typedbert([.. distill, "--unlabeled", "pool.tsv", "--temperature", "0"]), 2, "--temperature must be in (0, 100]");
        AssertRefused(Typedbert([.. distill, "--unlabeled", "pool.tsv", "--teacher", "missing"]), 1, "--teacher missing");
        AssertRefused(Typedbert([.. distill, "--unlabeled", "pool.tsv", "--keep-fraction", "0"]), 2, "--keep-fraction must be in (0, 1]");
        AssertRefused(Typedbert("train", "--data", "train.tsv", "--output", "refused", "--unlabeled", "empty.tsv", "--epochs", "1"), 1, "--unlabeled", "no data rows");
        AssertRefused(Typedbert("train", "--data", "train.tsv", "--output", "refused", "--unlabeled", "leaky.tsv", "--test", "test.tsv"), 1, "shares 2 text(s)");
    }

    [Fact]
    public void Distill_saves_a_student_of_the_layers_asked_for_and_train_unlabeled_self_trains()
    {
        var distill = Typedbert("distill", "--teacher", "teacher", "--teacher", "teacher", "--student-layers", "3", "--unlabeled", "pool.tsv", "--data", "train.tsv",
            "--test", "test.tsv", "--output", "student", "--epochs", "1", "--batch-size", "8", "--max-length", "32", "--threads", "1", "--json", "-");
        Assert.True(distill.ExitCode == 0, distill.ToString());
        using (var json = JsonDocument.Parse(distill.StandardOutput))
        {
            Assert.Equal(3, json.RootElement.GetProperty("student_layers").GetInt32());
            Assert.Equal(8, json.RootElement.GetProperty("pool_texts").GetInt32());
            var round = json.RootElement.GetProperty("rounds")[0];
            Assert.Equal(3, round.GetProperty("steps").GetInt32()); // 12 labelled + 8 pool rows in batches of 8
        }
        using (var student = TextClassifier.Load(Path.Combine(teachers.Folder, "student")))
        {
            Assert.Equal(3, student.Config.Encoder.NumHiddenLayers);
            Assert.Equal(["Negative", "Positive"], student.Labels);
        }

        var train = Typedbert("train", "--data", "train.tsv", "--unlabeled", "pool.tsv", "--rounds", "2", "--min-confidence", "0.5", "--keep-fraction", "0.5", "--hard-targets", "--output", "self",
            "--epochs", "1", "--batch-size", "8", "--max-length", "32", "--threads", "1", "--no-plots", "--no-model-card", "--no-checkpoints", "--json", "-");
        Assert.True(train.ExitCode == 0, train.ToString());
        using (var json = JsonDocument.Parse(train.StandardOutput))
        {
            var rounds = json.RootElement.GetProperty("self_training");
            Assert.Equal(2, rounds.GetArrayLength());
            Assert.Equal(8, rounds[1].GetProperty("pool_texts").GetInt32());
            // half of each predicted label's texts, rounded up: 4 of the 8 when both counts are even, 5 when both are odd
            Assert.InRange(rounds[0].GetProperty("kept_per_label").EnumerateArray().Sum(k => k.GetInt32()), 4, 5);
        }
        Assert.Contains("self-training round 2", train.StandardError);
    }
}
