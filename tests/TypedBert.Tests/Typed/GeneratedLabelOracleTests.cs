using System.Text.Json.Nodes;
using TypedBert.Classification;
using static TorchSharp.torch;

namespace TypedBert.Tests.Typed;

/// <summary>
/// The generated typed classifiers against answers fixed outside the code under test: the head's weights are zeroed and its bias
/// set by the test, so the logits are the bias and the winning label id is known before anything runs; the id's label is read
/// from the saved config.json (transformers' <c>id2label</c>), and the enum member it must map to is written out here by hand.
/// Swapped ids, labels or members in the generated code fail.
/// </summary>
public sealed class GeneratedLabelOracleTests
{
    /// <summary>Zero weights and the given bias in the head's last Linear, so every text gets exactly <paramref name="bias"/> as logits.</summary>
    static void FixHead(TextClassifier classifier, float[] bias)
    {
        using var updating = classifier.UpdatingWeights(); // drops the bf16 copy prediction keeps of the weights
        using var noGrad = no_grad();
        var parameters = classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        parameters["classifier.weight"].zero_();
        using var values = tensor(bias);
        parameters["classifier.bias"].copy_(values);
    }

    static string[] SavedId2Label(TextClassifier classifier)
    {
        using var folder = new TemporaryFolder();
        classifier.Save(folder.Path);
        var id2label = JsonNode.Parse(File.ReadAllText(folder.File("config.json")))!["id2label"]!.AsObject();
        return [.. Enumerable.Range(0, id2label.Count).Select(i => (string)id2label[i.ToString(System.Globalization.CultureInfo.InvariantCulture)]!)];
    }

    [Fact]
    public void Each_label_id_predicts_the_enum_member_of_its_saved_label()
    {
        var byLabel = new Dictionary<string, NewsTopic>
        {
            ["World"] = NewsTopic.World, ["Sports"] = NewsTopic.Sports, ["Business"] = NewsTopic.Business, ["Sci/Tech"] = NewsTopic.Science,
        };
        using var classifier = NewsTopicClassifier.FromPretrained();
        var labels = SavedId2Label(classifier.Inner);
        Assert.Equal(["World", "Sports", "Business", "Sci/Tech"], labels);
        for (int winner = 0; winner < 4; winner++)
        {
            FixHead(classifier.Inner, [.. Enumerable.Range(0, 4).Select(i => i == winner ? 3f : -1f)]);
            Assert.Equal(byLabel[labels[winner]], classifier.Predict("any text at all"));
            Assert.Equal(labels[winner], classifier.Inner.Predict("any text at all").Label);
        }
    }

    [Fact]
    public void Scores_are_the_softmax_of_the_fixed_logits_under_the_right_members()
    {
        using var classifier = MoodClassifier.FromPretrained();
        Assert.Equal(["Negative", "Positive"], SavedId2Label(classifier.Inner));
        FixHead(classifier.Inner, [-1f, 1f]);
        var scores = classifier.PredictScores("whatever");
        double positive = 1 / (1 + Math.Exp(-2));   // softmax of [-1, 1]
        Assert.Equal(positive, scores.Positive, 5);
        Assert.Equal(1 - positive, scores.Negative, 5);
        Assert.Equal(scores.Positive, scores[Mood.Positive]);
        Assert.Equal(Mood.Positive, scores.Best);
        Assert.Equal(Mood.Positive, classifier.Predict("whatever"));
        FixHead(classifier.Inner, [1f, -1f]);
        Assert.Equal(Mood.Negative, classifier.Predict("whatever"));
        Assert.Equal(positive, classifier.PredictScores("whatever").Negative, 5);
    }

    [Fact]
    public void Flags_are_the_labels_whose_sigmoid_passes_the_threshold()
    {
        using var classifier = TicketTagsClassifier.FromPretrained();
        Assert.Equal(["Billing", "Outage", "Urgent", "Account"], SavedId2Label(classifier.Inner));
        FixHead(classifier.Inner, [2f, -2f, 2f, -2f]);   // sigmoid 0.88, 0.12, 0.88, 0.12
        Assert.Equal(TicketTags.Billing | TicketTags.Urgent, classifier.Predict("my bill is late", threshold: 0.5f));
        FixHead(classifier.Inner, [-2f, 2f, -2f, 2f]);
        Assert.Equal(TicketTags.Outage | TicketTags.Account, classifier.Predict("my bill is late", threshold: 0.5f));
        Assert.Equal(TicketTags.None, classifier.Predict("my bill is late", threshold: 0.9f));
    }
}
