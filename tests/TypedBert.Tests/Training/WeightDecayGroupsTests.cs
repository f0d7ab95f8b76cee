using TypedBert.Data;
using TypedBert.Training;
using static TorchSharp.torch;

namespace TypedBert.Tests.Training;

/// <summary>
/// AdamW's parameter groups as transformers' Trainer makes them: every bias and every LayerNorm parameter (found by module type, as
/// transformers' <c>get_decay_parameter_names</c> does, whatever the architecture calls it) take no weight decay; all other
/// parameters decay. Checked on the update itself: two one-step runs that differ only in weight decay must differ, parameter by
/// parameter, by exactly <c>-lr × decay × w0</c> (decoupled decay) for a decayed parameter and by nothing for the others.
/// </summary>
public sealed class WeightDecayGroupsTests
{
    const double LearningRate = 0.01, Decay = 0.5;

    static readonly TrainingExample[] Four =
    [
        TrainingExample.ForLabel("the film was great", 1), TrainingExample.ForLabel("a dull and long plot", 0),
        TrainingExample.ForLabel("the acting was fine", 1), TrainingExample.ForLabel("great acting but a thin plot", 0),
    ];

    static readonly TrainingOptions OneStep = new()
    {
        Epochs = 1, BatchSize = 4, LearningRate = LearningRate, WarmupSteps = 0, MaxGradNorm = 0, Seed = 3, LoggingSteps = 1,
    };

    [Theory]
    [InlineData("bert")]
    [InlineData("distilbert")]
    [InlineData("albert")]
    [InlineData("roberta")]
    public void Biases_and_LayerNorm_parameters_take_no_weight_decay_and_the_rest_decay_by_lr_times_decay(string fixture)
    {
        using var a = new TemporaryFolder();
        using var b = new TemporaryFolder();
        using var c = new TemporaryFolder();
        Dictionary<string, float[]> before, withoutDecay, withDecay;
        HashSet<string> noDecay;
        using (var classifier = Tiny(a, fixture))
        {
            before = Weights(classifier);
            noDecay = NoDecayByModuleType(classifier);
        }
        using (var classifier = Tiny(b, fixture))
        {
            new Trainer(classifier, OneStep with { WeightDecay = 0 }).Train(Four);
            withoutDecay = Weights(classifier);
        }
        using (var classifier = Tiny(c, fixture))
        {
            new Trainer(classifier, OneStep with { WeightDecay = Decay }).Train(Four);
            withDecay = Weights(classifier);
        }

        Assert.Contains(noDecay, n => n.Contains("norm", StringComparison.OrdinalIgnoreCase) && n.EndsWith(".weight", StringComparison.Ordinal));
        var wrong = new List<string>();
        foreach (var (name, w0) in before)
        {
            // AdamW: w1 = w0 (1 - lr decay) - lr m / (sqrt(v) + eps), with the same gradient in both runs.
            double factor = noDecay.Contains(name) ? 0 : -LearningRate * Decay;
            double worst = 0;
            for (int i = 0; i < w0.Length; i++)
                worst = Math.Max(worst, Math.Abs(withDecay[name][i] - withoutDecay[name][i] - factor * w0[i]));
            if (worst > 1e-6) wrong.Add($"{name} ({(noDecay.Contains(name) ? "no decay expected" : "decay expected")}, off by {worst})");
        }
        Assert.True(wrong.Count == 0, "weight decay applied wrongly to: " + string.Join(", ", wrong));
    }

    /// <summary>transformers' rule: parameters of LayerNorm modules, and every parameter named bias, are left out of decay.</summary>
    static HashSet<string> NoDecayByModuleType(TypedBert.Classification.TextClassifier classifier)
    {
        var result = classifier.Model.named_parameters().Select(p => p.name).Where(n => n.EndsWith(".bias", StringComparison.Ordinal)).ToHashSet();
        foreach (var (name, module) in classifier.Model.named_modules())
            if (module is TorchSharp.Modules.LayerNorm)
                foreach (var (parameter, _) in module.named_parameters()) result.Add(name + "." + parameter);
        return result;
    }

    static TypedBert.Classification.TextClassifier Tiny(TemporaryFolder folder, string fixture) =>
        TrainingOracleTests.TinyWithoutDropout(folder, fixture, config =>
        {
            foreach (var key in new[] { "dropout", "attention_dropout", "seq_classif_dropout", "classifier_dropout_prob" })
                if (config.ContainsKey(key)) config[key] = 0.0;
        });

    static Dictionary<string, float[]> Weights(TypedBert.Classification.TextClassifier classifier) =>
        classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to(ScalarType.Float32).flatten().data<float>().ToArray());
}
