using SkiaSharp;

namespace TypedBert.Cli.Reporting;

/// <summary>
/// Finds a font for the plots' text. Skia finds the system's fonts by itself where there are some; a slim container
/// may have none, and then every title, label and count would silently be missing. In that case a font file is
/// looked for (<c>$TYPEDBERT_PLOT_FONT</c> first, then the usual font folders) and registered with ScottPlot.
/// </summary>
internal static class PlotFonts
{
    /// <summary>The environment variable that names a .ttf or .otf file to draw text with.</summary>
    public const string FontVariable = "TYPEDBERT_PLOT_FONT";

    const string RegisteredName = "TypedBert Plot Font";

    static readonly string[] FontFolders =
    [
        "/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/X11/fonts",
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local/share/fonts"),
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fonts"),
        "/System/Library/Fonts", "/Library/Fonts", Environment.GetFolderPath(Environment.SpecialFolder.Fonts),
    ];

    // Sans-serif fonts first: they read best on small tick labels.
    static readonly string[] Preferred = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "Arial.ttf", "arial.ttf", "Helvetica.ttc"];

    static readonly string[] SansFamilies = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI"];

    static readonly Lock Gate = new();
    static string? resolved;
    static bool tried;

    /// <summary>
    /// Makes text drawable and returns the font's description (a family or a file), or null when the machine has no font
    /// at all; plots are then drawn without text.
    /// </summary>
    public static string? Ensure()
    {
        lock (Gate)
        {
            if (tried) return resolved;
            tried = true;
            string? configured = Environment.GetEnvironmentVariable(FontVariable);
            if (!string.IsNullOrEmpty(configured))
            {
                if (!File.Exists(configured)) throw new FileNotFoundException($"{FontVariable} names {configured}, which does not exist", configured);
                return resolved = Register(configured);
            }
            if (SKTypeface.Default.GlyphCount > 0) return resolved = PreferSans();
            return resolved = FindFontFile() is { } file ? Register(file) : null;
        }
    }

    /// <summary>Makes a sans-serif family the plots' default when the system has one (Skia's own default is often a serif).</summary>
    static string PreferSans()
    {
        var families = SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        string? sans = SansFamilies.FirstOrDefault(families.Contains);
        if (sans is null) return SKTypeface.Default.FamilyName;
        ScottPlot.Fonts.Default = sans;
        return sans;
    }

    static string Register(string file)
    {
        using var typeface = SKTypeface.FromFile(file);
        if (typeface is null || typeface.GlyphCount == 0) throw new InvalidDataException($"{file} is not a font Skia can read (.ttf or .otf expected)");
        // Titles and axis labels ask for bold: one file serves every style, or they would find no font and stay blank.
        foreach (bool bold in new[] { false, true })
            foreach (bool italic in new[] { false, true })
                ScottPlot.Fonts.AddFontFile(RegisteredName, file, bold, italic);
        ScottPlot.Fonts.Default = RegisteredName;
        return file;
    }

    static string? FindFontFile()
    {
        var files = FontFolders.Where(f => f.Length > 0 && Directory.Exists(f))
            .SelectMany(f => SafeEnumerate(f))
            .Where(f => f.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".otf", StringComparison.OrdinalIgnoreCase))
            .ToList();
        return Preferred.Select(name => files.FirstOrDefault(f => Path.GetFileName(f) == name)).FirstOrDefault(f => f is not null)
            ?? files.Order(StringComparer.Ordinal).FirstOrDefault();
    }

    static IEnumerable<string> SafeEnumerate(string folder)
    {
        try { return Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).ToList(); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }
}
