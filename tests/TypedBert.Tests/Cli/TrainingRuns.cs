using TypedBert.Cli.Reporting;
using TypedBert.Metrics;
using TypedBert.Training;

namespace TypedBert.Tests.Cli;

/// <summary>Made-up training runs for the report writers: two labels, three epochs of four steps.</summary>
internal static class TrainingRuns
{
    public static readonly string[] Labels = ["Neg \"quoted\"", "Pos|piped"];

    public static EvaluationResult Evaluation(double loss, int[] predicted, int[] actual) =>
        new(loss, ClassificationReport.Compute(predicted, actual, Labels), null, null);

    public static TrainingResult Run()
    {
        int[] actual = [0, 0, 0, 1, 1, 1, 1, 0];
        var epochs = new List<EpochSummary>
        {
            new(1, 0.69, 4e-5, Evaluation(0.65, [0, 1, 1, 1, 0, 1, 0, 0], actual), TimeSpan.FromSeconds(10)),
            new(2, 0.52, 2e-5, Evaluation(0.48, [0, 0, 1, 1, 1, 1, 0, 0], actual), TimeSpan.FromSeconds(20)),
            new(3, 0.41, 0, Evaluation(0.50, [0, 0, 1, 1, 1, 1, 1, 1], actual), TimeSpan.FromSeconds(30)),
        };
        return new TrainingResult(epochs, BestEpoch: 2, StoppedEarly: false, Steps: 12, TimeSpan.FromSeconds(31), 42.5);
    }

    public static TrainingLog Log()
    {
        var log = new TrainingLog();
        for (int step = 1; step <= 12; step++)
            log.Record(new TrainingProgress(step, 12, (step - 1) / 4 + 1, 3, 0.7 - step * 0.02, 5e-5 * (12 - step + 1) / 12, 40, TimeSpan.FromSeconds(step), TimeSpan.Zero));
        return log;
    }
}
