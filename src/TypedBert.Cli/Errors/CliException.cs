namespace TypedBert.Cli.Errors;

/// <summary>
/// A mistake in what the user gave the command, already worded for them (the option or file, the line, what is wrong and the fix):
/// <see cref="CliErrors"/> prints it as one line and exits with <see cref="ExitCode"/>.
/// </summary>
internal sealed class CliException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The exit code of an option the command cannot use (a value out of range, options that do not go together).</summary>
    public const int UsageExitCode = 2;

    /// <summary>The exit code of an input that cannot be used (a data file, a model folder).</summary>
    public const int DataExitCode = 1;

    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>A bad option or combination of options (exit code 2).</summary>
    public static CliException Usage(string message, Exception? inner = null) => new(message, UsageExitCode, inner);

    /// <summary>A bad data file or model (exit code 1).</summary>
    public static CliException BadInput(string message, Exception? inner = null) => new(message, DataExitCode, inner);
}
