using ScottPlot;
using TypedBert.Metrics;
using TypedBert.Training;

namespace TypedBert.Cli.Reporting;

/// <summary>
/// The pictures of a training run, written as PNG files into a folder (beside the model): the loss per step and per epoch,
/// the learning rate per step, the evaluation metrics per epoch and the confusion matrix of the final evaluation.
/// Each file is written atomically; a plot the run has no data for is left out.
/// </summary>
internal sealed class TrainingPlots
{
    /// <summary>Training loss per logged step, its mean per epoch, and the evaluation loss per epoch.</summary>
    public const string LossFile = "loss.png";
    /// <summary>Learning rate per logged step.</summary>
    public const string LearningRateFile = "learning_rate.png";
    /// <summary>Evaluation metrics per epoch (needs evaluation data).</summary>
    public const string MetricsFile = "eval_metrics.png";
    /// <summary>Counts of true against predicted labels (single-label classification only).</summary>
    public const string ConfusionMatrixFile = "confusion_matrix.png";

    /// <summary>Width of each picture in pixels.</summary>
    public int Width { get; init; } = 900;

    /// <summary>Height of each picture in pixels.</summary>
    public int Height { get; init; } = 540;

    /// <summary>
    /// Writes every plot that <paramref name="log"/>, <paramref name="run"/> and <paramref name="final"/> have data for into
    /// <paramref name="folder"/>, and returns the paths written.
    /// </summary>
    /// <param name="folder">Where the PNG files go (created when missing).</param>
    /// <param name="log">The logged steps of the run.</param>
    /// <param name="run">The run's per-epoch figures.</param>
    /// <param name="final">The final evaluation (test data, or the evaluation of the kept epoch); null when there was none.</param>
    public IReadOnlyList<string> Write(string folder, TrainingLog log, TrainingResult run, EvaluationResult? final)
    {
        PlotFonts.Ensure();
        var written = new List<string>();
        void Save(string file, Plot? plot)
        {
            if (plot is null) return;
            string path = Path.Combine(folder, file);
            PlotPictures.WritePng(plot, path, Width, Height);
            written.Add(path);
        }
        Save(LossFile, LossPlot(log, run));
        Save(LearningRateFile, LearningRatePlot(log));
        Save(MetricsFile, MetricsPlot(run));
        if (final?.Classification is { } classification) Save(ConfusionMatrixFile, ConfusionMatrixPlot(classification));
        return written;
    }

    /// <summary>The optimizer step at which each epoch ended (every epoch takes the same number of steps).</summary>
    static double EpochEndStep(TrainingResult run, EpochSummary epoch) => (double)run.Steps / Math.Max(1, run.Epochs.Count) * epoch.Epoch;

    static Plot? LossPlot(TrainingLog log, TrainingResult run)
    {
        if (log.Steps.Count == 0 && run.Epochs.Count == 0) return null;
        var plot = PlotPictures.New("Loss", "optimizer step", "loss");
        if (log.Steps.Count > 0)
        {
            var steps = plot.Add.Scatter(log.Steps.Select(s => (double)s.Step).ToArray(), log.Steps.Select(s => s.Loss).ToArray());
            steps.LegendText = "training loss per step";
            steps.MarkerSize = log.Steps.Count > 50 ? 0 : 4;
            steps.LineWidth = 1;
        }
        var epochs = plot.Add.Scatter(run.Epochs.Select(e => EpochEndStep(run, e)).ToArray(), run.Epochs.Select(e => e.TrainingLoss).ToArray());
        epochs.LegendText = "training loss, epoch mean";
        epochs.MarkerSize = 9;
        epochs.LineWidth = 2;
        var evaluated = run.Epochs.Where(e => e.Evaluation is not null).ToList();
        if (evaluated.Count > 0)
        {
            var eval = plot.Add.Scatter(evaluated.Select(e => EpochEndStep(run, e)).ToArray(), evaluated.Select(e => e.Evaluation!.Loss).ToArray());
            eval.LegendText = "evaluation loss";
            eval.MarkerSize = 9;
            eval.LineWidth = 2;
            eval.LinePattern = LinePattern.Dashed;
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    static Plot? LearningRatePlot(TrainingLog log)
    {
        if (log.Steps.Count == 0) return null;
        var plot = PlotPictures.New("Learning rate", "optimizer step", "learning rate");
        var line = plot.Add.Scatter(log.Steps.Select(s => (double)s.Step).ToArray(), log.Steps.Select(s => s.LearningRate).ToArray());
        line.MarkerSize = log.Steps.Count > 50 ? 0 : 4;
        line.LineWidth = 2;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => v.ToString("0.0e0", System.Globalization.CultureInfo.InvariantCulture) };
        return plot;
    }

    static Plot? MetricsPlot(TrainingResult run)
    {
        var evaluated = run.Epochs.Where(e => e.Evaluation is not null).ToList();
        if (evaluated.Count == 0) return null;
        var first = evaluated[0].Evaluation!;
        (string Name, Func<EvaluationResult, double> Value)[] metrics =
            first.Classification is not null ? [("accuracy", r => r.Classification!.Accuracy), ("macro F1", r => r.Classification!.MacroF1)]
            : first.MultiLabel is not null ? [("subset accuracy", r => r.MultiLabel!.SubsetAccuracy), ("micro F1", r => r.MultiLabel!.MicroF1), ("macro F1", r => r.MultiLabel!.MacroF1)]
            : [("mean squared error", r => r.Regression!.MeanSquaredError), ("mean absolute error", r => r.Regression!.MeanAbsoluteError)];
        var plot = PlotPictures.New("Evaluation per epoch", "epoch", first.Regression is null ? "score" : "error");
        double[] xs = evaluated.Select(e => (double)e.Epoch).ToArray();
        foreach (var (name, value) in metrics)
        {
            var line = plot.Add.Scatter(xs, evaluated.Select(e => value(e.Evaluation!)).ToArray());
            line.LegendText = name;
            line.MarkerSize = 9;
            line.LineWidth = 2;
        }
        plot.Axes.Bottom.SetTicks(xs, evaluated.Select(e => e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        if (first.Regression is null) plot.Axes.SetLimitsY(0, 1.05);
        if (xs.Length == 1) plot.Axes.SetLimitsX(xs[0] - 1, xs[0] + 1);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>A heatmap of counts, rows the true labels from top to bottom, columns the predicted labels, each cell labelled with its count.</summary>
    static Plot ConfusionMatrixPlot(ClassificationReport report)
    {
        int n = report.PerLabel.Count;
        var labels = report.PerLabel.Select(m => m.Label).ToArray();
        var counts = new double[n, n];
        int max = 0;
        for (int row = 0; row < n; row++)
            for (int column = 0; column < n; column++)
            {
                counts[row, column] = report.ConfusionMatrix[row, column];
                max = Math.Max(max, report.ConfusionMatrix[row, column]);
            }
        var plot = PlotPictures.New($"Confusion matrix ({report.Count} examples, accuracy {report.Accuracy:P1})", "predicted label", "true label");
        var heatmap = plot.Add.Heatmap(counts);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed(); // ScottPlot's Blues runs dark to light; more examples should be darker
        heatmap.ManualRange = new ScottPlot.Range(0, Math.Max(1, max));
        heatmap.Extent = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Add.ColorBar(heatmap);
        // Heatmap row 0 is drawn at the top, so true label i sits at y = n - 1 - i.
        for (int row = 0; row < n; row++)
            for (int column = 0; column < n; column++)
            {
                int count = report.ConfusionMatrix[row, column];
                var text = plot.Add.Text(count.ToString(System.Globalization.CultureInfo.InvariantCulture), column, n - 1 - row);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = n > 12 ? 10 : 16;
                text.LabelFontColor = count > max / 2.0 ? Colors.White : Colors.Black;
            }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, n).Select(i => (double)i).ToArray(), labels);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(), labels);
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Grid.IsVisible = false;
        return plot;
    }
}
