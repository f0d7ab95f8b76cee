using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Tokenization;
using TypedBert.Training.FewShot;
using static TorchSharp.torch;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>fewshot --head-ablation true</c>: on the body one few-shot run has tuned, the head refitted each way (the encoder untouched,
/// <see cref="FewShotOptions.BodyEpochs"/> 0) and scored on the dev features, computed once: gradient descent on the model's loss,
/// logistic regression on raw features, and logistic regression on unit-length features, both as installed (weights divided by the
/// training features' mean length) and exactly (each dev feature scaled to that length first, which is what SetFit computes).
/// </summary>
internal static class HeadAblation
{
    /// <summary>The head's initial weights, taken before training, so that every variant's fit starts where the run's did.</summary>
    public static Dictionary<string, Tensor> InitialHead(TextClassifier classifier) =>
        classifier.Model.named_parameters().Where(p => classifier.Model.IsHeadParameter(p.name)).ToDictionary(p => p.name, p => p.parameter.detach().clone());

    static void Restore(TextClassifier classifier, Dictionary<string, Tensor> initial)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in classifier.Model.named_parameters())
            if (initial.TryGetValue(name, out var value)) parameter.copy_(value);
    }

    public static void Run(TextClassifier classifier, FewShotOptions options, List<TrainingExample> sample, List<TrainingExample> dev, int maxLength,
        Dictionary<string, Tensor> initialHead, BenchResult result, string prefix)
    {
        using var scope = NewDisposeScope();
        var devFeatures = Features(classifier, dev, maxLength);
        var sampleFeatures = Features(classifier, sample, maxLength);
        double meanLength = sampleFeatures.norm(1).mean().item<float>();
        var rescaled = devFeatures / devFeatures.norm(1, keepdim: true) * meanLength;
        var truth = dev.Select(e => e.LabelId).ToArray();
        var variants = new (string Name, FewShotOptions Options, Tensor Features)[]
        {
            ("gradient", options with { Head = HeadFit.GradientDescent }, devFeatures),
            ("logistic_raw", options with { Head = HeadFit.LogisticRegression, NormalizeHeadFeatures = false }, devFeatures),
            ("logistic_unit_installed", options with { Head = HeadFit.LogisticRegression, NormalizeHeadFeatures = true }, devFeatures),
            ("logistic_unit_exact", options with { Head = HeadFit.LogisticRegression, NormalizeHeadFeatures = true }, rescaled),
        };
        var predictions = new Dictionary<string, long[]>();
        foreach (var (name, variant, features) in variants)
        {
            Restore(classifier, initialHead);
            new FewShotTrainer(classifier, variant with { BodyEpochs = 0 }).Train(sample);
            using var noGrad = no_grad();
            classifier.Model.eval();
            var predicted = classifier.Model.Head(features).argmax(1).data<long>().ToArray();
            predictions[name] = predicted;
            result[$"{prefix}_dev_{name}"] = 100.0 * predicted.Zip(truth, (p, t) => p == t ? 1 : 0).Sum() / truth.Length;
            Console.Error.WriteLine(FormattableString.Invariant($"{prefix} head {name}: dev {result[$"{prefix}_dev_{name}"]:0.00} %"));
        }
        result[$"{prefix}_dev_unit_installed_agrees_with_exact"] = 100.0
            * predictions["logistic_unit_installed"].Zip(predictions["logistic_unit_exact"], (a, b) => a == b ? 1 : 0).Sum() / truth.Length;
        result[$"{prefix}_train_feature_length_cv"] = (sampleFeatures.norm(1).std() / meanLength).item<float>();
        result[$"{prefix}_dev_feature_length_cv"] = (devFeatures.norm(1).std() / devFeatures.norm(1).mean()).item<float>();
        // Leave the classifier with the head the run's own options fit, as the rest of the bench expects.
        Restore(classifier, initialHead);
        new FewShotTrainer(classifier, options with { BodyEpochs = 0 }).Train(sample);
    }

    /// <summary>The features [rows, hidden] of <paramref name="examples"/> in eval mode, batches of 64.</summary>
    static Tensor Features(TextClassifier classifier, List<TrainingExample> examples, int maxLength)
    {
        using var noGrad = no_grad();
        classifier.Model.eval();
        var parts = new List<Tensor>();
        foreach (var chunk in examples.Chunk(64))
        {
            var inputs = new BatchEncoding([.. chunk.Select(e => classifier.Tokenizer.Encode(e.Text, e.TextPair, maxLength))], classifier.Tokenizer.PadTokenId)
                .ToTensors(classifier.Device);
            parts.Add(classifier.Model.Features(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds));
        }
        return cat(parts, 0);
    }
}
