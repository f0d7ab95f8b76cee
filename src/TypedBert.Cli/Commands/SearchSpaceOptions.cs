using System.CommandLine;
using System.Globalization;
using TypedBert.Classification;
using TypedBert.Search;
using TypedBert.Training;

namespace TypedBert.Cli.Commands;

/// <summary>
/// The search space of <c>typedbert tune</c>, one option per training hyperparameter, each written as a range <c>MIN:MAX</c>, a list of
/// choices <c>A,B,C</c> or one fixed value. The learning rate's range is searched on a log scale, other real ranges uniformly, whole-number
/// ranges (epochs, batch size, seed) over every number in them. An option left out takes its range from <see cref="TrainingSearchSpace.Default"/>.
/// </summary>
internal sealed class SearchSpaceOptions
{
    enum Kind { LogReal, Real, Whole, Name }

    readonly List<(Option<string?> Option, string Name, Kind Kind)> dimensions = [];

    public SearchSpaceOptions()
    {
        // One option per searchable training option, in the search space's order (the sampler's dimensions), with train's flag and help.
        foreach (string name in TrainingSearchSpace.Names)
        {
            if (name == TrainingSearchSpace.Pooling)
            {
                Add("--pooling", name, Kind.Name, "Pooling: Pooler, Cls, Mean or a list of them (default: what the base model recommends)");
                continue;
            }
            var row = TrainingOptionTable.Searched.Single(o => o.JsonKey == name);
            var kind = row == TrainingOptionTable.LearningRate ? Kind.LogReal : row.Kind == OptionKind.Whole ? Kind.Whole : Kind.Real;
            Add(row.CliFlag!, name, kind, $"{row.Help}: {(kind == Kind.LogReal ? "MIN:MAX (log scale)" : "MIN:MAX")}, A,B or one value");
        }
    }

    void Add(string flag, string name, Kind kind, string description)
    {
        var fallback = name == TrainingSearchSpace.Pooling ? null : TrainingSearchSpace.Default().Find(name)!;
        string defaults = fallback is null ? "" : $" (default {Written(fallback)}{(name == TrainingSearchSpace.LabelSmoothing ? "; 0 for multi-label and regression" : "")})";
        dimensions.Add((new Option<string?>(flag) { Description = description + defaults }, name, kind));
    }

    public void AddTo(Command command)
    {
        foreach (var (option, _, _) in dimensions) command.Options.Add(option);
    }

    /// <summary>The option that sets dimension <paramref name="name"/>, for messages.</summary>
    public string FlagOf(string name) => dimensions.First(d => d.Name == name).Option.Name;

    /// <summary>The space the command line describes, with the defaults of <paramref name="problemType"/> for the options left out.</summary>
    /// <exception cref="ArgumentException">A value is not a number, a range or a list of the option's kind; the message names the option.</exception>
    public SearchSpace Read(ParseResult result, ProblemType problemType)
    {
        var defaults = TrainingSearchSpace.Default(problemType);
        var space = new List<SearchDimension>();
        foreach (var (option, name, kind) in dimensions)
        {
            string? text = result.GetValue(option);
            if (text is null)
            {
                if (defaults.Find(name) is { } fallback) space.Add(fallback);
                continue;
            }
            space.Add(Parse(option.Name, name, kind, text.Trim()));
        }
        return new SearchSpace(space);
    }

    static SearchDimension Parse(string flag, string name, Kind kind, string text)
    {
        if (text.Contains(','))
        {
            var choices = text.Split(',', StringSplitOptions.TrimEntries).ToList();
            if (kind != Kind.Name) foreach (var choice in choices.Where(c => c.Length > 0)) Number(flag, text, choice, kind);
            return new CategoricalDimension(name, choices);
        }
        if (kind == Kind.Name) return new CategoricalDimension(name, [text]);
        string[] bounds = text.Split(':', StringSplitOptions.TrimEntries);
        if (bounds.Length > 2) throw new ArgumentException($"{flag} {text}: write a range as MIN:MAX, choices as A,B or one value");
        double min = Number(flag, text, bounds[0], kind), max = bounds.Length == 2 ? Number(flag, text, bounds[1], kind) : min;
        return kind switch
        {
            Kind.LogReal => new LogUniformDimension(name, min, max),
            Kind.Real => new UniformDimension(name, min, max),
            _ => new IntDimension(name, (int)min, (int)max),
        };
    }

    static double Number(string flag, string text, string part, Kind kind)
    {
        if (kind == Kind.Whole)
            return int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int whole) ? whole
                : throw new ArgumentException($"{flag} {text}: \"{part}\" is not a whole number");
        return double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsFinite(real) ? real
            : throw new ArgumentException($"{flag} {text}: \"{part}\" is not a number");
    }

    /// <summary>How the command line writes a dimension: MIN:MAX, A,B or one value.</summary>
    public static string Written(SearchDimension dimension) => dimension switch
    {
        LogUniformDimension d => d.IsFixed ? F(d.Min) : $"{F(d.Min)}:{F(d.Max)}",
        UniformDimension d => d.IsFixed ? F(d.Min) : $"{F(d.Min)}:{F(d.Max)}",
        IntDimension d => d.IsFixed ? F(d.Min) : $"{F(d.Min)}:{F(d.Max)}",
        CategoricalDimension d => string.Join(",", d.Choices),
        _ => dimension.Describe(),
    };

    static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A search-space error with the option that sets the dimension, such as "--learning-rate: ..." for "search space: learning_rate ...".</summary>
    public string Explain(ArgumentException error)
    {
        const string prefix = "search space: ";
        if (!error.Message.StartsWith(prefix, StringComparison.Ordinal)) return error.Message;
        string rest = error.Message[prefix.Length..];
        var match = dimensions.Where(d => rest.StartsWith(d.Name + " ", StringComparison.Ordinal)).Select(d => d.Option.Name).FirstOrDefault();
        return match is null ? error.Message : $"{match}: {rest}";
    }
}
