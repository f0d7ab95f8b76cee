using System.Text.Json;

namespace TypedBert.Search;

/// <summary>
/// One hyperparameter of a <see cref="SearchSpace"/>: its name and the values it may take. A sampler gives each searched dimension a
/// coordinate in [0, 1), and the dimension turns it into a value (<see cref="ValueAt"/>), as Optuna's distributions do.
/// </summary>
public abstract record SearchDimension(string Name)
{
    /// <summary>Whether the dimension has one value only: it takes no coordinate of the sampler, but every trial records it.</summary>
    public abstract bool IsFixed { get; }

    /// <summary>The value at <paramref name="unit"/>, a number in [0, 1): a <see cref="double"/>, an <see cref="int"/> or a <see cref="string"/>.</summary>
    public abstract object ValueAt(double unit);

    /// <summary>The values that bound the dimension (its minimum and maximum, or every choice), checked against the trainer before any trial.</summary>
    public abstract IReadOnlyList<object> Extremes { get; }

    /// <summary>Throws when the dimension is empty or contradictory.</summary>
    /// <exception cref="ArgumentException">The message names the dimension and the fix.</exception>
    public abstract void Validate();

    /// <summary>The dimension in words, such as <c>log-uniform [1e-05, 0.0002]</c>; a change of it makes a saved search another search.</summary>
    public abstract string Describe();

    /// <summary>Reads a value of this dimension back from a state file.</summary>
    public virtual object Read(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetDouble();

    /// <summary>An <see cref="ArgumentException"/> about this dimension.</summary>
    protected ArgumentException Invalid(string problem) => new($"search space: {Name} {problem}");

    /// <summary>Formats a number as the state file and the messages write it.</summary>
    protected static string Number(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture).Replace('E', 'e');
}
