using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Tests.Cli;

namespace TypedBert.Tests.ZeroShot;

/// <summary><c>typedbert train --method zero-shot</c> with the real executable: a model folder from descriptions, and every mistake refused first.</summary>
public sealed class ZeroShotCommandTests
{
    [Fact]
    public void Zero_shot_writes_a_model_folder_that_predict_and_eval_read()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("descriptions.tsv"), "Negative\tA negative movie review: the film is bad, boring and disappointing.\n"
            + "Positive\tA positive movie review: the film is good, enjoyable and moving.\nPositive\tI loved this wonderful movie.\n");
        File.WriteAllText(folder.File("test.tsv"), "text\tlabel\na dull, tedious film\tNegative\na lovely, moving film\tPositive\nboring and far too long\tNegative\na delight from start to finish\tPositive\n");
        var train = CommandLineTests.Typedbert(folder.Path, "train", "--method", "zero-shot", "--labels", "Negative,Positive", "--descriptions", "descriptions.tsv",
            "--template", "Movie review: {description}", "--output", "model", "--test", "test.tsv", "--json", "-");
        Assert.True(train.ExitCode == 0, train.ToString());
        using (var json = JsonDocument.Parse(train.StandardOutput))
        {
            Assert.Equal("zero-shot", json.RootElement.GetProperty("method").GetString());
            Assert.Equal(2, json.RootElement.GetProperty("descriptions").GetProperty("Positive").GetArrayLength());
            Assert.Equal(1.0, json.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble());
        }
        using (var classifier = TextClassifier.Load(folder.File("model")))
            Assert.Equal(["Negative", "Positive"], classifier.Labels);
        var predict = CommandLineTests.Typedbert(folder.Path, "predict", "--model", "model", "--text", "a wonderful, moving film");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Contains("Positive", predict.StandardOutput);
    }

    [Theory]
    [InlineData("Neutral\ta neutral review\n", 1, "--descriptions descriptions.tsv:1: \"Neutral\" is not a label (Negative, Positive); correct the label, or add it to the labels")]
    [InlineData("Positive\t\n", 1, "--descriptions descriptions.tsv:1: the description of \"Positive\" is empty")]
    [InlineData("Positive\ta good film\nNegative\tA GOOD FILM\n", 1, "--descriptions descriptions.tsv:2: this description is \"Positive\"'s already (line 1)")]
    [InlineData("Positive\ta good film\n", 2, "--data train.tsv: --method zero-shot learns from the label descriptions alone; drop --data", "--data", "train.tsv")]
    [InlineData("Positive\ta good film\n", 2, "--template: Template \"Review\" has no {description}", "--template", "Review")]
    [InlineData("Positive\ta good film\n", 2, "--unlabeled is not read by --method zero-shot: save the zero-shot model first", "--unlabeled", "train.tsv")]
    public void A_mistake_is_one_line_before_anything_loads(string descriptions, int exitCode, string message, params string[] extra)
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("descriptions.tsv"), descriptions);
        File.WriteAllText(folder.File("train.tsv"), "text\tlabel\na film\tPositive\n");
        var run = CommandLineTests.Typedbert(folder.Path, ["train", "--method", "zero-shot", "--labels", "Negative,Positive", "--descriptions", "descriptions.tsv",
            "--output", "model", .. extra]);
        Assert.Equal(exitCode, run.ExitCode);
        Assert.StartsWith("error: " + message, run.StandardError.Trim());
        Assert.False(Directory.Exists(folder.File("model")));
    }

    [Fact]
    public void Descriptions_start_the_head_of_another_method_and_their_options_alone_are_refused()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("descriptions.tsv"), "Negative\tA negative movie review: the film is bad, boring and disappointing.\n"
            + "Positive\tA positive movie review: the film is good, enjoyable and moving.\n");
        File.WriteAllText(folder.File("train.tsv"), "text\tlabel\na fine film\tPositive\na dull film\tNegative\na great film\tPositive\na boring film\tNegative\n");
        File.WriteAllText(folder.File("test.tsv"), "text\tlabel\na dull, tedious film\tNegative\na lovely, moving film\tPositive\nboring and far too long\tNegative\na delight from start to finish\tPositive\n");
        // A learning rate too small to move the weights: the fine-tuned model is the head the descriptions made, so it scores like zero-shot.
        var train = CommandLineTests.Typedbert(folder.Path, "train", "--data", "train.tsv", "--descriptions", "descriptions.tsv", "--pooling", "Mean",
            "--epochs", "1", "--learning-rate", "1e-9", "--warmup-ratio", "0", "--max-length", "16", "--output", "model", "--test", "test.tsv",
            "--no-plots", "--no-model-card", "--no-checkpoints", "--json", "-");
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("head: started from the label descriptions", train.StandardError + train.StandardOutput);
        using (var json = JsonDocument.Parse(train.StandardOutput))
            Assert.Equal(1.0, json.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble());

        var template = CommandLineTests.Typedbert(folder.Path, "train", "--data", "train.tsv", "--template", "Review: {description}", "--output", "other");
        Assert.Equal(2, template.ExitCode);
        Assert.Contains("--template shapes the head made from --descriptions; add --descriptions, or drop --template", template.StandardError);
        Assert.False(Directory.Exists(folder.File("other")));
        var noData = CommandLineTests.Typedbert(folder.Path, "train", "--output", "other");
        Assert.Equal(2, noData.ExitCode);
        Assert.Contains("--data is required", noData.StandardError);
        var noLabels = CommandLineTests.Typedbert(folder.Path, "train", "--method", "zero-shot", "--output", "other");
        Assert.Equal(2, noLabels.ExitCode);
        Assert.Contains("--method zero-shot needs --labels", noLabels.StandardError);
    }

    [Fact]
    public void Self_training_with_descriptions_starts_every_student_from_them_for_its_own_epochs()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("descriptions.tsv"), "Negative\tA negative movie review: the film is bad, boring and disappointing.\n"
            + "Positive\tA positive movie review: the film is good, enjoyable and moving.\n");
        File.WriteAllText(folder.File("train.tsv"), "text\tlabel\na fine film\tPositive\na dull film\tNegative\na great film\tPositive\na boring film\tNegative\n");
        File.WriteAllText(folder.File("pool.tsv"), "text\nwhat a waste of time\nI enjoyed it a lot\nclumsy and slow\nwarm and funny\n");
        File.WriteAllText(folder.File("test.tsv"), "text\tlabel\na dull, tedious film\tNegative\na lovely, moving film\tPositive\nboring and far too long\tNegative\na delight from start to finish\tPositive\n");
        // Weights that cannot move (learning rate 1e-9): the saved student is its start, which scores like zero-shot only if that start is
        // the descriptions' head (a new head would not); 3 teacher epochs, 1 student epoch of the 4 labelled + 4 pool rows in batches of 4.
        var train = CommandLineTests.Typedbert(folder.Path, "train", "--data", "train.tsv", "--descriptions", "descriptions.tsv", "--pooling", "Mean",
            "--unlabeled", "pool.tsv", "--epochs", "3", "--student-epochs", "1", "--batch-size", "4", "--learning-rate", "1e-9", "--warmup-ratio", "0",
            "--max-length", "16", "--threads", "1", "--output", "model", "--test", "test.tsv", "--no-plots", "--no-model-card", "--no-checkpoints", "--json", "-");
        Assert.True(train.ExitCode == 0, train.ToString());
        using (var json = JsonDocument.Parse(train.StandardOutput))
        {
            Assert.Equal(2, json.RootElement.GetProperty("self_training")[0].GetProperty("steps").GetInt32());
            Assert.Equal(1.0, json.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble());
        }

        var zero = CommandLineTests.Typedbert(folder.Path, "train", "--data", "train.tsv", "--unlabeled", "pool.tsv", "--student-epochs", "0", "--output", "other");
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("--student-epochs 0: a student trains at least one epoch", zero.StandardError);
        Assert.False(Directory.Exists(folder.File("other")));
    }
}
