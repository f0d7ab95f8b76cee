using Spectre.Console;

namespace TypedBert.Cli.Terminal;

/// <summary>
/// Where a command's output goes and how it looks. Tables and messages go to standard output, progress to standard error.
/// Live bars and framed tables are drawn only on a terminal; a redirected stream gets plain lines that a log or a script
/// can read. <c>--json -</c> gives standard output to the JSON alone and moves everything else to standard error.
/// </summary>
internal sealed class ConsoleOutput
{
    /// <summary>The JSON path that means standard output.</summary>
    public const string StandardOutputPath = "-";

    ConsoleOutput(TextWriter json, bool richTables, IProgressView progress)
    {
        Json = json;
        RichTables = richTables;
        Progress = progress;
    }

    /// <summary>The output of the running command; plain until a command calls <see cref="Begin"/>.</summary>
    public static ConsoleOutput Current { get; private set; } = new(Console.Out, false, new PlainProgressView(Console.Error));

    /// <summary>Where <c>--json -</c> writes: the process's standard output.</summary>
    public TextWriter Json { get; }

    /// <summary>Whether tables are drawn with frames and colour (standard output is a terminal).</summary>
    public bool RichTables { get; }

    /// <summary>Live bars when standard error is a terminal, periodic lines otherwise.</summary>
    public IProgressView Progress { get; }

    /// <summary>Sets up the output of a command whose <c>--json</c> value is <paramref name="jsonPath"/>.</summary>
    public static ConsoleOutput Begin(string? jsonPath)
    {
        var standardOutput = Console.Out;
        bool jsonToStandardOutput = jsonPath == StandardOutputPath;
        if (jsonToStandardOutput) Console.SetOut(Console.Error);
        bool dumb = string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        bool richTables = !jsonToStandardOutput && !Console.IsOutputRedirected && !dumb;
        var errorConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        bool liveProgress = !Console.IsErrorRedirected && !dumb && errorConsole.Profile.Capabilities.Interactive;
        Current = new ConsoleOutput(standardOutput, richTables,
            liveProgress ? new LiveProgressView(errorConsole) : new PlainProgressView(Console.Error));
        return Current;
    }
}
