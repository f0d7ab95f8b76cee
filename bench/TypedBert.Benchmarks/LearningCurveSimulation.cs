using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Suggestions;
using TypedBert.Training;

namespace TypedBert.Benchmarks;

/// <summary>
/// One run of <c>learning-curve</c>: a strategy on a data set for a seed. The pool is a seeded sample of the training rows whose labels
/// stay hidden; the strategy (<see cref="TextClassifierSuggestions.Suggest"/>) picks from it, starting from the zero-shot model, and only
/// the picked rows' labels are revealed. At each budget a model is trained on the revealed rows with the method TypedBert uses there
/// (<see cref="LearningCurveMethod"/>), scored on dev and test, and it chooses the next budget's rows.
/// </summary>
internal sealed class LearningCurveSimulation(LabelEfficiencyData data, LabelEfficiencyData dev, LabelEfficiencyRecipes recipes, LearningCurveMethod method,
    int maxLength, int poolSize)
{
    /// <summary>One budget's model: what it was trained with and how it scored.</summary>
    public sealed record Point(int Budget, string Method, double Dev, double Test, int[] PerLabel, double Seconds);

    /// <summary>The points of <paramref name="strategy"/> (null: the zero-shot model alone, budget 0) at each of <paramref name="budgets"/>, ascending.</summary>
    public List<Point> Run(SuggestionStrategy? strategy, IReadOnlyList<int> budgets, int seed, Action<Point> done)
    {
        var (texts, labels) = Pool(seed);
        var points = new List<Point>();
        var clock = Stopwatch.StartNew();
        var current = recipes.ZeroShot(data);
        try
        {
            if (strategy is null)
            {
                var zero = new Point(0, "zero-shot", Accuracy(current, dev.Test, 128), Accuracy(current, data.Test, 128), new int[data.Labels.Length], clock.Elapsed.TotalSeconds);
                done(zero);
                return [zero];
            }
            var revealed = new List<int>();
            foreach (int budget in budgets)
            {
                using (var atLength = current.WithSettings(current.Settings with { MaxLength = maxLength }))
                {
                    var picked = atLength.Suggest(texts, budget - revealed.Count, new SuggestionOptions
                    {
                        Strategy = strategy.Value, Seed = seed * 1000 + budget, Labelled = revealed.Select(i => texts[i]),
                    });
                    revealed.AddRange(picked.Select(s => s.Index));
                }
                var examples = revealed.Select(i => TrainingExample.ForLabel(texts[i], labels[i])).ToList();
                var unlabelled = Enumerable.Range(0, texts.Count).Except(revealed).Select(i => texts[i]).ToList();
                var (trained, name) = method.Train(data, recipes, examples, unlabelled, seed);
                current.Dispose();
                current = trained;
                var perLabel = new int[data.Labels.Length];
                foreach (var e in examples) perLabel[e.LabelId]++;
                var point = new Point(budget, name, Accuracy(current, dev.Test, maxLength), Accuracy(current, data.Test, maxLength), perLabel, clock.Elapsed.TotalSeconds);
                points.Add(point);
                done(point);
            }
            return points;
        }
        finally
        {
            current.Dispose();
        }
    }

    /// <summary>The seed's pool: <c>poolSize</c> training rows in a seeded order, none of them a test or dev text; labels kept aside.</summary>
    (List<string> Texts, List<int> Labels) Pool(int seed)
    {
        var order = Enumerable.Range(0, data.Train.Count).ToArray();
        new Random(seed).Shuffle(order);
        var held = data.Test.Concat(dev.Test).Select(t => t.Text.Trim()).ToHashSet(StringComparer.Ordinal);
        var rows = order.Select(i => data.Train[i]).Where(r => !held.Contains(r.Text.Trim())).Take(poolSize).ToList();
        return ([.. rows.Select(r => r.Text)], [.. rows.Select(r => r.Label)]);
    }

    static double Accuracy(TextClassifier classifier, List<TrainingExample> examples, int maxLength) =>
        Evaluation.Run(classifier, examples, maxLength).Classification!.Accuracy * 100;
}
