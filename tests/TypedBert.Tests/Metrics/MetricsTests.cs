using TypedBert.Metrics;

namespace TypedBert.Tests.Metrics;

public sealed class MetricsTests
{
    [Fact]
    public void Classification_report_matches_hand_computed_values()
    {
        // actual:    A A A B B C
        // predicted: A A B B C C
        var report = ClassificationReport.Compute([0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 2], ["A", "B", "C"]);
        Assert.Equal(4.0 / 6, report.Accuracy, 10);
        Assert.Equal(1.0, report.PerLabel[0].Precision, 10);
        Assert.Equal(2.0 / 3, report.PerLabel[0].Recall, 10);
        Assert.Equal(0.5, report.PerLabel[1].Precision, 10);
        Assert.Equal(0.5, report.PerLabel[1].Recall, 10);
        Assert.Equal(0.5, report.PerLabel[2].Precision, 10);
        Assert.Equal(1.0, report.PerLabel[2].Recall, 10);
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, report.MacroF1, 10);
        Assert.Equal(report.Accuracy, report.MicroF1, 10);
        Assert.Equal(1, report.ConfusionMatrix[0, 1]);
        Assert.Equal(1, report.ConfusionMatrix[1, 2]);
        Assert.Equal(3, report.PerLabel[0].Support);
    }

    [Fact]
    public void Multi_label_report_counts_subsets_and_cells()
    {
        bool[][] actual = [[true, false, true], [false, true, false]];
        bool[][] predicted = [[true, false, true], [true, true, false]];
        var report = MultiLabelReport.Compute(predicted, actual, ["x", "y", "z"]);
        Assert.Equal(0.5, report.SubsetAccuracy, 10);
        Assert.Equal(1.0 / 6, report.HammingLoss, 10);
        Assert.Equal(3.0 / 4, report.MicroPrecision, 10);
        Assert.Equal(1.0, report.MicroRecall, 10);
        Assert.Equal(0.5, report.PerLabel[0].Precision, 10);
    }

    [Fact]
    public void Regression_report()
    {
        var report = RegressionReport.Compute([[1f], [3f]], [[2f], [3f]]);
        Assert.Equal(0.5, report.MeanSquaredError, 6);
        Assert.Equal(0.5, report.MeanAbsoluteError, 6);
    }
}
