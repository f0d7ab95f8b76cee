using System.Globalization;
using System.Net;
using System.Text;
using TypedBert.Classification;
using TypedBert.Explanations;

namespace TypedBert.Cli.Commands;

/// <summary>An explanation's words coloured by score: green pushed the label up, red pushed it down; the strongest word sets the scale.</summary>
internal static class ExplanationRendering
{
    /// <summary>Words with their scores in brackets, for logs and redirected output.</summary>
    public static string Plain(Explanation explanation) =>
        string.Join(" ", explanation.Words.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Word}[{w.Score:+0.00;-0.00;0}]")));

    /// <summary>Words on a 24-bit terminal background, stronger for a larger share of the largest score.</summary>
    public static string Ansi(Explanation explanation)
    {
        double scale = Scale(explanation);
        var line = new StringBuilder();
        foreach (var word in explanation.Words)
        {
            var (r, g, b) = Colour(word.Score / scale);
            line.Append(CultureInfo.InvariantCulture, $"\u001b[48;2;{r};{g};{b}m\u001b[38;2;0;0;0m{word.Word}\u001b[0m ");
        }
        return line.ToString().TrimEnd();
    }

    /// <summary>A standalone page: one paragraph per label, each word a span with its score in the title; all text escaped.</summary>
    public static string Html(IReadOnlyList<Explanation> explanations, Prediction prediction)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>typedbert explain</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:2}span.w{padding:.1rem .2rem;border-radius:.2rem}")
            .Append("h2{font-size:1rem;margin-bottom:0}p.m{color:#555;font-size:.85rem;margin-top:0}</style></head><body>\n");
        foreach (var explanation in explanations)
        {
            double scale = Scale(explanation);
            page.Append(CultureInfo.InvariantCulture, $"<h2>{Escape(explanation.Label)} — score {prediction.Scores[explanation.LabelId]:P2}</h2>\n")
                .Append(CultureInfo.InvariantCulture, $"<p class=\"m\">logit {explanation.Logit:0.000}, baseline {explanation.BaselineLogit:0.000}, completeness error {explanation.CompletenessError:P2}, {explanation.Options.Steps} steps ({explanation.Options.Rule}, {explanation.Options.Baseline} baseline)</p>\n<p>");
            foreach (var word in explanation.Words)
            {
                var (r, g, b) = Colour(word.Score / scale);
                page.Append(CultureInfo.InvariantCulture, $"<span class=\"w\" style=\"background:rgb({r},{g},{b})\" title=\"{word.Score:0.0000}\" data-score=\"{word.Score:0.000000}\">{Escape(word.Word)}</span> ");
            }
            page.Append("</p>\n");
        }
        return page.Append("</body></html>\n").ToString();
    }

    static string Escape(string text) => WebUtility.HtmlEncode(text);

    static double Scale(Explanation explanation) => Math.Max(1e-9, explanation.Words.Select(w => Math.Abs((double)w.Score)).DefaultIfEmpty(0).Max());

    /// <summary>White at 0, green towards +1, red towards -1.</summary>
    static (int R, int G, int B) Colour(double share)
    {
        double s = Math.Clamp(share, -1, 1);
        int fade = (int)Math.Round(255 * (1 - Math.Abs(s) * 0.75));
        return s >= 0 ? (fade, 255, fade) : (255, fade, fade);
    }
}
