using System.CommandLine;
using TypedBert.Training;

namespace TypedBert.Cli.Commands;

/// <summary>
/// The command-line options of rows of <see cref="TrainingOptionTable"/>: each row's flag, help and default, read back by row, so that
/// <c>typedbert train</c> names no training option of the table itself. A row's value is a number (a switch 0 or 1), null when unset.
/// </summary>
internal sealed class TrainingOptionFlags
{
    readonly List<(TrainingOption Row, Option Option, Func<ParseResult, double?> Read)> flags = [];

    /// <param name="rows">The rows to offer; those without a flag are left out.</param>
    /// <param name="defaults">The command line's own default of a row where it differs from the table's (checkpoint settings).</param>
    public TrainingOptionFlags(IEnumerable<TrainingOption> rows, IReadOnlyDictionary<TrainingOption, double>? defaults = null)
    {
        foreach (var row in rows)
        {
            if (row.CliFlag is not { } flag) continue;
            double? fallback = defaults is not null && defaults.TryGetValue(row, out double given) ? given : row.Default;
            switch (row.Kind, fallback)
            {
                case (OptionKind.Switch, _):
                    var on = new Option<bool>(flag) { Description = row.Help };
                    flags.Add((row, on, r => r.GetValue(on) ? 1 : 0));
                    break;
                case (OptionKind.Whole, double value):
                    var whole = new Option<int>(flag) { Description = row.Help, DefaultValueFactory = _ => (int)value };
                    flags.Add((row, whole, r => r.GetValue(whole)));
                    break;
                case (OptionKind.Whole, null):
                    var optionalWhole = new Option<int?>(flag) { Description = row.Help };
                    flags.Add((row, optionalWhole, r => r.GetValue(optionalWhole)));
                    break;
                case (OptionKind.Real, double value):
                    var real = new Option<double>(flag) { Description = row.Help, DefaultValueFactory = _ => value };
                    flags.Add((row, real, r => r.GetValue(real)));
                    break;
                default:
                    var optionalReal = new Option<double?>(flag) { Description = row.Help };
                    flags.Add((row, optionalReal, r => r.GetValue(optionalReal)));
                    break;
            }
        }
    }

    /// <summary>Adds every flag to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var (_, option, _) in flags) command.Options.Add(option);
    }

    /// <summary>The flag of <paramref name="row"/>.</summary>
    public Option this[TrainingOption row] => flags.First(f => f.Row == row).Option;

    /// <summary>The value of <paramref name="row"/>: the one given, else the default; null when unset.</summary>
    public double? Value(ParseResult result, TrainingOption row) => flags.First(f => f.Row == row).Read(result);

    /// <summary>The value of a whole-number row.</summary>
    public int? Whole(ParseResult result, TrainingOption row) => Value(result, row) is double value ? (int)value : null;

    /// <summary>Whether the command line gives <paramref name="row"/> itself (not its default): explicit, in <see cref="OptionPrecedence"/>'s terms.</summary>
    public bool IsExplicit(ParseResult result, TrainingOption row) =>
        flags.Any(f => f.Row == row && result.GetResult(f.Option) is { Implicit: false });

    /// <summary><paramref name="options"/> with the value of every flag.</summary>
    public TrainingOptions ApplyTo(ParseResult result, TrainingOptions options)
    {
        foreach (var (row, _, read) in flags) options = options.With(row, read(result));
        return options;
    }
}
