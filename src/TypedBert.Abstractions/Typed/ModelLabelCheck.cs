using System;
using System.Collections.Generic;
using System.Linq;

namespace TypedBert.Typed;

/// <summary>
/// Checks that a model's labels are exactly the labels of an enum: <c>TypedClassifier&lt;TEnum&gt;</c> when it loads or wraps a model,
/// and the source generator for a model folder checked at build time (TB0301), so both report the same differences. Formerly
/// <c>LabelMapping</c>.
/// </summary>
internal static class ModelLabelCheck
{
    /// <summary>
    /// Every difference between <paramref name="enumLabels"/> and <paramref name="modelLabels"/> (the model's <c>id2label</c>):
    /// labels missing on either side and labels at different ids; empty when they are the same.
    /// </summary>
    public static List<string> Differences(IReadOnlyList<string> enumLabels, IReadOnlyList<string> modelLabels, string enumName)
    {
        var differences = new List<string>();
        foreach (var label in enumLabels.Except(modelLabels, StringComparer.Ordinal))
            differences.Add($"\"{label}\" is a label of {enumName} but not of the model");
        foreach (var label in modelLabels.Except(enumLabels, StringComparer.Ordinal))
            differences.Add($"\"{label}\" is a label of the model but not of {enumName}");
        for (int id = 0; id < Math.Min(enumLabels.Count, modelLabels.Count); id++)
            if (enumLabels[id] != modelLabels[id] && modelLabels.Contains(enumLabels[id]) && enumLabels.Contains(modelLabels[id]))
                differences.Add($"id {id} is \"{modelLabels[id]}\" in the model but \"{enumLabels[id]}\" in {enumName}");
        return differences;
    }

    /// <summary>
    /// Throws when <paramref name="modelLabels"/> (the model's <c>id2label</c>) differs from <paramref name="enumLabels"/> in any way,
    /// listing every difference: labels missing on either side and labels at different ids.
    /// </summary>
    /// <exception cref="InvalidDataException">The label sets differ; the message names <paramref name="source"/> and each difference.</exception>
    public static void Require(IReadOnlyList<string> enumLabels, IReadOnlyList<string> modelLabels, string enumName, string source)
    {
        var differences = Differences(enumLabels, modelLabels, enumName);
        if (differences.Count > 0)
            throw new InvalidDataException($"{source}: the model's labels (id2label) do not match {enumName}:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", differences));
    }
}
