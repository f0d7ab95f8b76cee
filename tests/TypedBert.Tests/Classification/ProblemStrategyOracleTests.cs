using TypedBert.Classification;
using TypedBert.Classification.Problems;
using TypedBert.Data;
using static TorchSharp.torch;

namespace TypedBert.Tests.Classification;

/// <summary>
/// The three problem strategies against values worked out by hand (double precision, no torch): each loss, activation, decision,
/// target tensor, label cell and metric that training, prediction and evaluation ask of them.
/// </summary>
public sealed class ProblemStrategyOracleTests
{
    static readonly string[] ThreeLabels = ["a", "b", "c"];

    static Tensor Rows(float[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    static double[] Softmax(double[] z)
    {
        double max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        return [.. e.Select(v => v / e.Sum())];
    }

    static void Close(IEnumerable<double> expected, IEnumerable<double> actual)
    {
        double[] e = [.. expected], a = [.. actual];
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++) Assert.Equal(e[i], a[i], 1e-6);
    }

    static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    static DataRow Row(string label) => new("data.tsv", 7, "text", null, label);

    [Theory]
    [InlineData(ProblemType.SingleLabel)]
    [InlineData(ProblemType.MultiLabel)]
    [InlineData(ProblemType.Regression)]
    public void Each_problem_type_gets_the_strategy_of_that_type(ProblemType type) => Assert.Equal(type, ProblemStrategy.For(type).Type);

    [Fact]
    public void An_unknown_problem_type_is_refused_naming_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProblemStrategy.For((ProblemType)42));
        Assert.Contains("unknown problem type 42", error.Message);
    }

    [Fact]
    public void Single_label_loss_is_the_mean_cross_entropy_weighted_and_smoothed_as_torch_defines_it()
    {
        float[][] logits = [[2f, 0f, -1f], [0.5f, 1.5f, 0f]];
        long[] labels = [0, 2];
        double[] weights = [1, 2, 3];
        using var scope = NewDisposeScope();
        var p = logits.Select(l => Softmax([.. l.Select(v => (double)v)])).ToArray();
        double Ce(int row, int label) => -Math.Log(p[row][label]);

        double plain = (Ce(0, 0) + Ce(1, 2)) / 2;
        Assert.Equal(plain, SingleLabelProblem.Instance.Loss(Rows(logits), tensor(labels), null, 0).item<float>(), 5);

        // Weighted: Σ w_y · CE / Σ w_y (torch's mean over the weights of the rows' labels).
        double weighted = (1 * Ce(0, 0) + 3 * Ce(1, 2)) / (1 + 3);
        Assert.Equal(weighted, SingleLabelProblem.Instance.Loss(Rows(logits), tensor(labels), tensor(weights.Select(w => (float)w).ToArray()), 0).item<float>(), 5);

        // Smoothed by ε = 0.3: (1 − ε) CE + ε · the mean over the labels of −log p.
        double Smoothed(int row, int label) => 0.7 * Ce(row, label) + 0.3 * Enumerable.Range(0, 3).Average(k => Ce(row, k));
        double smoothed = (Smoothed(0, 0) + Smoothed(1, 2)) / 2;
        Assert.Equal(smoothed, SingleLabelProblem.Instance.Loss(Rows(logits), tensor(labels), null, 0.3).item<float>(), 5);
    }

    [Fact]
    public void Single_label_batch_loss_without_soft_targets_reads_each_examples_label()
    {
        float[][] logits = [[2f, 0f, -1f], [0.5f, 1.5f, 0f]];
        var examples = new[] { TrainingExample.ForLabel("x", 1), TrainingExample.ForLabel("y", 0) };
        using var scope = NewDisposeScope();
        var p = logits.Select(l => Softmax([.. l.Select(v => (double)v)])).ToArray();
        double expected = -(Math.Log(p[0][1]) + Math.Log(p[1][0])) / 2;
        Assert.Equal(expected, SingleLabelProblem.Instance.BatchLoss(Rows(logits), examples, null, 0, 0.5, 2).item<float>(), 5);
    }

    [Fact]
    public void Single_label_batch_loss_with_soft_targets_weighs_each_labelled_row_by_its_class_weight_and_divides_by_the_batch()
    {
        float[][] logits = [[2f, 0f, -1f], [0.5f, 1.5f, 0f], [1f, -1f, 3f]];
        float[] teacher = [0.7f, 0.2f, 0.1f];
        var examples = new[] { TrainingExample.ForLabel("x", 1), TrainingExample.ForSoftTarget("y", teacher), TrainingExample.ForLabel("z", 2) };
        double[] weights = [1, 2, 3];
        var p = logits.Select(l => Softmax([.. l.Select(v => (double)v)])).ToArray();
        var pT = logits.Select(l => Softmax([.. l.Select(v => v / 2.0)])).ToArray();
        double ce = 2 * -Math.Log(p[0][1]) + 3 * -Math.Log(p[2][2]);
        double kl = teacher.Select((t, k) => t * (Math.Log(t) - Math.Log(pT[1][k]))).Sum();
        double expected = ((1 - 0.4) * ce + 0.4 * 4 * kl) / 3;
        using var scope = NewDisposeScope();
        var loss = SingleLabelProblem.Instance.BatchLoss(Rows(logits), examples, tensor(weights.Select(w => (float)w).ToArray()), 0, 0.4, 2).item<float>();
        Assert.Equal(expected, loss, 5);

        // Weight 1: the labelled rows drop out; weight 0: the soft rows drop out (each still counts in the mean).
        Assert.Equal(4 * kl / 3, SingleLabelProblem.Instance.BatchLoss(Rows(logits), examples, null, 0, 1, 2).item<float>(), 5);
        double plainCe = -Math.Log(p[0][1]) - Math.Log(p[2][2]);
        Assert.Equal(plainCe / 3, SingleLabelProblem.Instance.BatchLoss(Rows(logits), examples, null, 0, 0, 2).item<float>(), 5);
    }

    [Fact]
    public void Single_label_scores_are_the_softmax_and_stay_finite_for_huge_logits()
    {
        float[] logits = [1f, 2f, 0.5f];
        var expected = Softmax([1, 2, 0.5]);
        Close(expected, SingleLabelProblem.Instance.Activate(logits).Select(v => (double)v));
        using var scope = NewDisposeScope();
        var rows = SingleLabelProblem.Instance.Activate(Rows([logits, [0f, 0f, 0f]])).data<float>().ToArray();
        Close(expected.Concat([1 / 3.0, 1 / 3.0, 1 / 3.0]), rows.Select(v => (double)v));

        // exp(1000) overflows a float; the maximum subtracted first gives softmax([0, −1]).
        var huge = SingleLabelProblem.Instance.Activate([1000f, 999f]);
        Close([1 / (1 + Math.Exp(-1)), Math.Exp(-1) / (1 + Math.Exp(-1))], huge.Select(v => (double)v));
        // Logits 2000 apart: only subtracting the largest (not, say, the smallest) keeps every exp finite.
        Close([1, 0], SingleLabelProblem.Instance.Activate([1000f, -1000f]).Select(v => (double)v));
    }

    [Fact]
    public void Single_label_example_parses_the_label_cell_and_names_the_row_when_unknown()
    {
        var labels = new LabelSet(ThreeLabels);
        var example = SingleLabelProblem.Instance.Example(new DataRow("data.tsv", 7, "text", "pair", "B"), labels);
        Assert.Equal((1, "text", "pair"), (example.LabelId, example.Text, example.TextPair));
        var error = Assert.Throws<DataFormatException>(() => SingleLabelProblem.Instance.Example(Row("d"), labels));
        Assert.Contains("data.tsv:7", error.Message);
    }

    [Fact]
    public void Single_label_fits_a_label_in_range_or_a_soft_target_of_every_label()
    {
        var single = SingleLabelProblem.Instance;
        Assert.True(single.Fits(TrainingExample.ForLabel("x", 0), 3));
        Assert.True(single.Fits(TrainingExample.ForLabel("x", 2), 3));
        Assert.False(single.Fits(TrainingExample.ForLabel("x", 3), 3));
        Assert.True(single.Fits(TrainingExample.ForSoftTarget("x", [0.5f, 0.25f, 0.25f]), 3));
        Assert.False(single.Fits(TrainingExample.ForSoftTarget("x", [0.5f, 0.5f]), 3));
        Assert.False(single.Fits(TrainingExample.ForLabel("x", 1).WithSoftTarget([0.5f, 0.5f]), 3));
        Assert.True(single.Fits(TrainingExample.ForLabel("x", 1).WithSoftTarget([0.5f, 0.25f, 0.25f]), 3));
        Assert.False(single.Fits(TrainingExample.ForValues("x", [1f, 0f, 0f]), 3)); // no label and no soft target
    }

    [Fact]
    public void Single_label_targets_are_the_label_ids()
    {
        using var scope = NewDisposeScope();
        var targets = SingleLabelProblem.Instance.Targets([TrainingExample.ForLabel("x", 2), TrainingExample.ForLabel("y", 0)], 3);
        Assert.Equal(new long[] { 2, 0 }, targets.data<long>().ToArray());
    }

    [Fact]
    public void Single_label_metrics_take_the_largest_logit_and_the_first_of_equals()
    {
        float[][] logits = [[0f, 3f, 1f], [2f, 2f, -1f], [-5f, -4f, -3f], [1f, 0f, 0f]];
        var examples = new[] { TrainingExample.ForLabel("1", 1), TrainingExample.ForLabel("2", 1), TrainingExample.ForLabel("3", 2), TrainingExample.ForLabel("4", 2) };
        var report = SingleLabelProblem.Instance.Metrics(logits, examples, ThreeLabels, null).Classification!;
        // Predicted 1, 0 (tie: the first), 2, 0 against 1, 1, 2, 2: two right.
        Assert.Equal(0.5, report.Accuracy);
        Assert.Equal(1, report.ConfusionMatrix[1, 0]);
        Assert.Equal(1, report.ConfusionMatrix[2, 0]);
        Assert.Equal(1, report.ConfusionMatrix[2, 2]);
    }

    [Fact]
    public void Multi_label_loss_is_binary_cross_entropy_with_logits_and_class_weights_weigh_the_positives()
    {
        float[][] logits = [[2f, -1f], [0.5f, 0f]];
        float[][] targets = [[1f, 0f], [0f, 1f]];
        double Bce(double z, double y, double w) => -(w * y * Math.Log(Sigmoid(z)) + (1 - y) * Math.Log(1 - Sigmoid(z)));
        double Mean(double[] w) => (Bce(2, 1, w[0]) + Bce(-1, 0, w[1]) + Bce(0.5, 0, w[0]) + Bce(0, 1, w[1])) / 4;
        using var scope = NewDisposeScope();
        Assert.Equal(Mean([1, 1]), MultiLabelProblem.Instance.Loss(Rows(logits), Rows(targets), null, 0).item<float>(), 5);
        Assert.Equal(Mean([3, 0.5]), MultiLabelProblem.Instance.Loss(Rows(logits), Rows(targets), tensor(new[] { 3f, 0.5f }), 0).item<float>(), 5);
    }

    [Fact]
    public void Multi_label_scores_are_sigmoids_and_a_label_is_chosen_at_or_above_its_threshold()
    {
        float[] logits = [0f, 2f, -1f];
        var scores = MultiLabelProblem.Instance.Activate(logits);
        Close([0.5, Sigmoid(2), Sigmoid(-1)], scores.Select(v => (double)v));
        using (var scope = NewDisposeScope())
            Close([0.5, Sigmoid(2), Sigmoid(-1)], MultiLabelProblem.Instance.Activate(Rows([logits])).data<float>().ToArray().Select(v => (double)v));

        float[] row = [0.5f, 0.3f, 0.8f];
        Assert.Equal([true, false, true], MultiLabelProblem.Instance.Decide(row, null)); // 0.5 by default, inclusive
        Assert.Equal([false, true, true], MultiLabelProblem.Instance.Decide(row, [0.6f, 0.3f, 0.8f])); // per label, inclusive
        Assert.Equal([true, true, true], MultiLabelProblem.Instance.Decide(row, [0.6f, 0.9f, 0.9f], threshold: 0.3f)); // one threshold wins
    }

    [Fact]
    public void Multi_label_examples_targets_and_fit()
    {
        var labels = new LabelSet(ThreeLabels);
        var example = MultiLabelProblem.Instance.Example(new DataRow("data.tsv", 3, "text", "pair", "c|A"), labels);
        Assert.Equal([1f, 0f, 1f], example.Target);
        Assert.Equal("pair", example.TextPair);
        Assert.True(MultiLabelProblem.Instance.Fits(example, 3));
        Assert.False(MultiLabelProblem.Instance.Fits(example, 2));
        Assert.False(MultiLabelProblem.Instance.Fits(TrainingExample.ForLabel("x", 0).WithSoftTarget([0.2f, 0.3f, 0.5f]), 3));
        using var scope = NewDisposeScope();
        var targets = MultiLabelProblem.Instance.Targets([example, TrainingExample.ForLabels("y", [1], 3)], 3);
        Assert.Equal(new long[] { 2, 3 }, targets.shape);
        Assert.Equal([1f, 0f, 1f, 0f, 1f, 0f], targets.data<float>().ToArray());
    }

    [Fact]
    public void Multi_label_metrics_decide_with_the_models_thresholds()
    {
        // Sigmoid(0) = 0.5, sigmoid(1) ≈ 0.73, sigmoid(−1) ≈ 0.27.
        float[][] logits = [[0f, 1f], [-1f, 0f]];
        var examples = new[] { TrainingExample.ForLabels("x", [1], 2), TrainingExample.ForLabels("y", [0, 1], 2) };
        var byDefault = MultiLabelProblem.Instance.Metrics(logits, examples, ["a", "b"], null).MultiLabel!;
        // Chosen {a, b} and {b} against {b} and {a, b}: no row exact, 2 of 4 cells wrong.
        Assert.Equal((0.0, 0.5), (byDefault.SubsetAccuracy, byDefault.HammingLoss));
        var withThresholds = MultiLabelProblem.Instance.Metrics(logits, examples, ["a", "b"], [0.6f, 0.5f]).MultiLabel!;
        // Chosen {b} and {b}: the first row exact, 1 of 4 cells wrong.
        Assert.Equal((0.5, 0.25), (withThresholds.SubsetAccuracy, withThresholds.HammingLoss));
    }

    [Fact]
    public void Regression_loss_is_the_mean_squared_error_whether_targets_are_a_column_or_a_vector()
    {
        float[][] outputs = [[1.5f], [-0.5f], [2f]];
        double expected = (Math.Pow(1.5 - 1, 2) + Math.Pow(-0.5 - 0.5, 2) + Math.Pow(2 - 4, 2)) / 3;
        using var scope = NewDisposeScope();
        Assert.Equal(expected, RegressionProblem.Instance.Loss(Rows(outputs), Rows([[1f], [0.5f], [4f]]), null, 0).item<float>(), 5);
        Assert.Equal(expected, RegressionProblem.Instance.Loss(Rows(outputs), tensor(new[] { 1f, 0.5f, 4f }), null, 0).item<float>(), 5);
    }

    [Fact]
    public void Regression_scores_are_the_outputs_and_a_copy()
    {
        float[] outputs = [3.5f, -2f];
        var scores = RegressionProblem.Instance.Activate(outputs);
        Assert.Equal(outputs, scores);
        scores[0] = 0;
        Assert.Equal(3.5f, outputs[0]);
        using var scope = NewDisposeScope();
        Assert.Equal(outputs, RegressionProblem.Instance.Activate(Rows([outputs])).data<float>().ToArray());
    }

    [Fact]
    public void Regression_example_reads_each_value_and_names_the_row_of_a_bad_one()
    {
        var example = RegressionProblem.Instance.Example(new DataRow("data.tsv", 4, "text", "pair", " 1.5 |-2e1"), new LabelSet([]));
        Assert.Equal([1.5f, -20f], example.Target);
        Assert.Equal("pair", example.TextPair);
        Assert.True(RegressionProblem.Instance.Fits(example, 2));
        Assert.False(RegressionProblem.Instance.Fits(example, 1));
        var error = Assert.Throws<DataFormatException>(() => RegressionProblem.Instance.Example(Row("1|abc"), new LabelSet([])));
        Assert.Contains("data.tsv:7", error.Message);
        Assert.Contains("regression target \"abc\" is not a finite number", error.Message);
        Assert.Throws<DataFormatException>(() => RegressionProblem.Instance.Example(Row("Infinity"), new LabelSet([])));
    }

    [Fact]
    public void Regression_targets_and_metrics()
    {
        var examples = new[] { TrainingExample.ForValues("x", [1f, 2f]), TrainingExample.ForValues("y", [0f, -1f]) };
        using var scope = NewDisposeScope();
        var targets = RegressionProblem.Instance.Targets(examples, 2);
        Assert.Equal(new long[] { 2, 2 }, targets.shape);
        Assert.Equal([1f, 2f, 0f, -1f], targets.data<float>().ToArray());
        var report = RegressionProblem.Instance.Metrics([[2f, 2f], [0f, 1f]], examples, [], null).Regression!;
        Assert.Equal((5 / 4.0, 3 / 4.0, 2), (report.MeanSquaredError, report.MeanAbsoluteError, report.Count));
    }
}
