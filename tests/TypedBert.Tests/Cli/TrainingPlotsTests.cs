using SkiaSharp;
using TypedBert.Cli.Reporting;
using TypedBert.Training;
using Xunit.Abstractions;

namespace TypedBert.Tests.Cli;

public class TrainingPlotsTests(ITestOutputHelper output)
{
    static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    static SKBitmap Decode(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, bytes[..8]);
        return SKBitmap.Decode(bytes);
    }

    /// <summary>
    /// Distinct colours, and pixels with a clear hue: axes, grid lines and text are grey or black, so only the data (the curves' palette
    /// colours, the heat map) makes chromatic pixels. A blank picture, or one with axes and no data, has none.
    /// </summary>
    static (int Colours, int Chromatic) Measure(SKBitmap bitmap)
    {
        var pixels = bitmap.Pixels;
        int chromatic = pixels.Count(p => Math.Max(p.Red, Math.Max(p.Green, p.Blue)) - Math.Min(p.Red, Math.Min(p.Green, p.Blue)) > 60);
        return (pixels.Distinct().Count(), chromatic);
    }

    // The pictures of TrainingRuns had at least 1198 chromatic pixels and 450 colours when measured; a quarter of that leaves room for fonts.
    const int MinimumChromatic = 300;
    const int MinimumColours = 16;

    void AssertDrawn(string path)
    {
        using var bitmap = Decode(path);
        var (colours, chromatic) = Measure(bitmap);
        output.WriteLine($"{Path.GetFileName(path)}: {colours} colours, {chromatic} chromatic pixels");
        Assert.True(colours >= MinimumColours && chromatic >= MinimumChromatic,
            $"{Path.GetFileName(path)} looks blank: {colours} colours, {chromatic} chromatic pixels");
    }

    [Fact]
    public void A_blank_picture_or_one_with_grey_axes_only_is_not_taken_for_a_plot()
    {
        using var blank = new SKBitmap(600, 400);
        blank.Erase(SKColors.White);
        Assert.Equal((1, 0), Measure(blank));

        using var axes = new SKBitmap(600, 400);
        axes.Erase(SKColors.White);
        using (var canvas = new SKCanvas(axes))
        using (var grey = new SKPaint { Color = new SKColor(80, 80, 80), IsAntialias = true, StrokeWidth = 2 })
        {
            canvas.DrawLine(50, 350, 580, 350, grey);
            canvas.DrawLine(50, 20, 50, 350, grey);
            for (int x = 100; x < 580; x += 50) canvas.DrawLine(x, 20, x, 350, grey);
        }
        var (_, chromatic) = Measure(axes);
        Assert.Equal(0, chromatic);
    }

    [Fact]
    public void Writes_loss_learning_rate_metrics_and_confusion_matrix_pictures()
    {
        string folder = Directory.CreateTempSubdirectory("typedbert-plots-").FullName;
        try
        {
            var run = TrainingRuns.Run();
            var written = new TrainingPlots { Width = 600, Height = 400 }.Write(folder, TrainingRuns.Log(), run, run.Epochs[1].Evaluation);
            Assert.Equal([TrainingPlots.LossFile, TrainingPlots.LearningRateFile, TrainingPlots.MetricsFile, TrainingPlots.ConfusionMatrixFile],
                written.Select(Path.GetFileName));
            Assert.Equal(written.Order(), Directory.GetFiles(folder).Order());   // nothing else, no temporary files
            foreach (var path in written)
            {
                using (var bitmap = Decode(path))
                {
                    Assert.Equal(600, bitmap.Width);
                    Assert.Equal(400, bitmap.Height);
                }
                AssertDrawn(path);
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Without_evaluation_only_the_training_curves_are_drawn()
    {
        string folder = Directory.CreateTempSubdirectory("typedbert-plots-").FullName;
        try
        {
            var run = TrainingRuns.Run() with { Epochs = [new EpochSummary(1, 0.6, 1e-5, null, TimeSpan.FromSeconds(3))], Steps = 4 };
            var written = new TrainingPlots().Write(folder, TrainingRuns.Log(), run, final: null);
            Assert.Equal([TrainingPlots.LossFile, TrainingPlots.LearningRateFile], written.Select(Path.GetFileName));
            foreach (var path in written) AssertDrawn(path);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [SkippableFact]
    public void Text_is_drawn_when_the_machine_has_a_font()
    {
        Skip.If(PlotFonts.Ensure() is null, "no font on this machine: the plots are drawn without text (TYPEDBERT_PLOT_FONT names one)");
        // The title band above the data area holds only the title: with a font it has dark pixels, without one it is blank.
        string folder = Directory.CreateTempSubdirectory("typedbert-plots-").FullName;
        try
        {
            var run = TrainingRuns.Run();
            new TrainingPlots { Width = 600, Height = 400 }.Write(folder, TrainingRuns.Log(), run, run.Epochs[1].Evaluation);
            using var bitmap = Decode(Path.Combine(folder, TrainingPlots.ConfusionMatrixFile));
            int dark = 0;
            for (int y = 0; y < 30; y++)
                for (int x = 0; x < bitmap.Width; x++)
                    if (bitmap.GetPixel(x, y).Red < 100) dark++;
            Assert.True(dark > 50, $"the title band has {dark} dark pixels: its text was not drawn");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
