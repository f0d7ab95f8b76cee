using System.Collections.Concurrent;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace TypedBert.Cli.Terminal;

/// <summary>A progress column that shows a free text per task (loss, learning rate, speed), set from the working thread.</summary>
internal sealed class FiguresColumn : ProgressColumn
{
    readonly ConcurrentDictionary<int, string> texts = new();

    /// <summary>Replaces the text shown for <paramref name="task"/>; plain text, escaped here.</summary>
    public void Set(ProgressTask task, string text) => texts[task.Id] = text;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Markup(texts.TryGetValue(task.Id, out var text) ? Markup.Escape(text) : "", new Style(Color.Grey));
}
