using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text.Json;
using TypedBert.Data;
using TypedBert.Hub;
using TypedBert.Modeling;
using TypedBert.Training;

namespace TypedBert.Cli.Errors;

/// <summary>
/// Runs a parsed command line and turns every expected failure into one line on standard error: usage mistakes (a bad option, a value
/// out of range) exit with 2, unusable inputs (a data file, a model folder, a base model) with 1. Stack traces appear only with
/// <c>--verbose</c>, and for exceptions nobody expected, which are bugs and say so.
/// </summary>
internal static class CliErrors
{
    /// <summary>The exit code of an interrupted command (128 + SIGINT, as shells report Ctrl+C).</summary>
    public const int CancelledExitCode = 130;

    /// <summary>The exit code of a bug.</summary>
    public const int InternalErrorExitCode = 70;

    /// <summary><c>--verbose</c>: on every command, the stack trace of an error.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Show the stack trace when a command fails (for a bug report)",
        Recursive = true,
    };

    /// <summary>Runs <paramref name="parsed"/> and returns the process's exit code.</summary>
    public static async Task<int> InvokeAsync(ParseResult parsed, TextWriter error)
    {
        if (parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction)
            return ParseErrors(parsed, error);
        try
        {
            // serve drains its requests after SIGTERM: the command line waits for that (see ServeCommand.TerminationTimeout).
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (Commands.ServeCommand.TerminationTimeout(parsed) is { } termination) configuration.ProcessTerminationTimeout = termination;
            return await parsed.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Report(e, parsed.GetValue(Verbose), error);
        }
    }

    /// <summary>The command line could not be parsed: each error, a suggestion for a misspelt option, and where the options are listed.</summary>
    static int ParseErrors(ParseResult parsed, TextWriter error)
    {
        var unmatched = parsed.UnmatchedTokens;
        // Words the parser could not place are one line however many there are ("--epoch 1" is two), with the option meant.
        foreach (var parseError in parsed.Errors.Where(e => !unmatched.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal))))
            error.WriteLine($"error: {parseError.Message}");
        if (unmatched.Count > 0)
        {
            var known = parsed.CommandResult.Command.Options.Concat(parsed.RootCommandResult.Command.Options.Where(o => o.Recursive))
                .SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct().ToList();
            var meant = unmatched.Where(t => t.StartsWith("--", StringComparison.Ordinal))
                .SelectMany(t => LabelMatching.Closest(known, t).Where(c => LabelMatching.EditDistance(t, c) <= Math.Max(2, t.Length / 3)))
                .Distinct().ToList();
            error.WriteLine($"error: {CommandPath(parsed)} does not take {string.Join(" ", unmatched)}" + (meant.Count > 0 ? $"; did you mean {string.Join(" or ", meant)}?" : ""));
        }
        error.WriteLine($"options: {CommandPath(parsed)} --help");
        return CliException.UsageExitCode;
    }

    static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "typedbert" : result.Command.Name);
        return string.Join(" ", names);
    }

    /// <summary>Prints <paramref name="exception"/> as the user should see it and returns the exit code.</summary>
    public static int Report(Exception exception, bool verbose, TextWriter error)
    {
        var e = Unwrap(exception);
        if (e is OperationCanceledException)
        {
            error.WriteLine("cancelled");
            return CancelledExitCode;
        }
        if (Classify(e) is not int exitCode)
        {
            error.WriteLine($"internal error: {e.GetType().FullName}: {e.Message}");
            error.WriteLine(e.StackTrace);
            error.WriteLine("This is a bug in typedbert, not a mistake in the input: please report it (an issue in the TypedBert repository) with the command line and this output.");
            return InternalErrorExitCode;
        }
        error.WriteLine($"error: {e.Message}");
        if (verbose) error.WriteLine(exception);
        return exitCode;
    }

    /// <summary>The exit code of an expected failure, or null for a bug.</summary>
    static int? Classify(Exception e) => e switch
    {
        CliException cli => cli.ExitCode,
        // Unusable inputs: data files, model folders and their files, base models, the hub, the native backend, a run that diverged.
        DataFormatException or IOException or UnauthorizedAccessException or InvalidDataException or JsonException or HubException
            or NotSupportedException or TorchBackendMissingException or TrainingDivergedException => CliException.DataExitCode,
        // Option values the library refuses (TrainingOptions.Validate and the like name the setting and the allowed range).
        ArgumentNullException => null,
        ArgumentException => CliException.UsageExitCode,
        _ => null,
    };

    // A failure inside a type initializer or a task surfaces wrapped; the user needs the inner one.
    static Exception Unwrap(Exception e) => e switch
    {
        TypeInitializationException { InnerException: { } inner } => Unwrap(inner),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        _ => e,
    };
}
