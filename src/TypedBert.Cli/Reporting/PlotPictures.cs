using ScottPlot;
using TypedBert.Serialization;

namespace TypedBert.Cli.Reporting;

/// <summary>What every picture the command line draws shares: a titled plot with labelled axes, written as a PNG atomically.</summary>
internal static class PlotPictures
{
    /// <summary>An empty plot with <paramref name="title"/> and the axis labels <paramref name="x"/> and <paramref name="y"/>.</summary>
    public static Plot New(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    /// <summary>Draws <paramref name="plot"/> at <paramref name="width"/> x <paramref name="height"/> pixels into the PNG file <paramref name="path"/>, atomically.</summary>
    public static void WritePng(Plot plot, string path, int width, int height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
