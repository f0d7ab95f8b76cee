using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;
using TypedBert.Classification;
using TypedBert.Generators.Model;
using TypedBert.Search;
using TypedBert.Training;
using F = TypedBert.Search.BestConfigurationFormat;

namespace TypedBert.Generators.Parsing;

/// <summary>
/// Reads a search's <c>best.json</c> at build time by the rules <c>BestConfiguration.Read</c> applies at run time (System.Text.Json with
/// the names of <see cref="BestConfigurationFormat"/>): an object; <c>format</c> 1 or absent; every required property present; whole
/// numbers written as whole numbers, every number finite and as JSON writes it; <c>pooling</c> a member of <see cref="PoolingStrategy"/> by name (any case) or number; unknown
/// properties ignored; the last of two equal names wins; a required text that is <c>null</c> and a pooling number that names no
/// member refused (BestConfiguration.Read checks both after System.Text.Json). The tests run both readers on the same files.
/// </summary>
internal static class SearchResultReader
{
    sealed class Refused(string reason, string? field) : Exception(reason)
    {
        public string? Field { get; } = field;
    }

    static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static SearchResultScan Read(string path, string filePath, SourceText? text)
    {
        if (text is null) return new SearchResultScan(path, filePath, null, default, default, "the file cannot be opened", default);
        string content = text.ToString();
        var starts = FileScanner.LineStarts(content);
        var firstLine = FileScanner.Position(content, starts, 1);
        var fields = new List<FieldPosition>();
        FilePosition LineOf(int index) => FileScanner.Position(content, starts, starts.FindLastIndex(s => s <= index) + 1);
        SearchResultScan Failed(string reason, FilePosition at) => new(path, filePath, null, fields.ToEquatableArray(), firstLine, reason, at);

        object? parsed;
        try { parsed = MiniJson.Parse(content); }
        catch (MiniJson.SyntaxError e) { return Failed($"it is not valid JSON ({e.Message}, line {Int(LineOf(e.Position).Line + 1)})", LineOf(e.Position)); }
        if (parsed is null) return Failed("it holds null, not a configuration", firstLine);
        if (parsed is not Dictionary<string, object?> json) return Failed("it is not a JSON object", firstLine);

        // Where each property is: its (last) "name": in the text. A name inside a string value is escaped (\"), so it does not match.
        foreach (var name in json.Keys)
        {
            var matches = Regex.Matches(content, "\"" + Regex.Escape(name) + "\"\\s*:");
            if (matches.Count > 0) fields.Add(new FieldPosition(name, LineOf(matches[matches.Count - 1].Index)));
        }
        FilePosition At(string name) => fields.FirstOrDefault(f => f.Name == name) is { Name: not null } field ? field.At : firstLine;

        try
        {
            int format = OptionalInt(json, F.Format) ?? F.Current;
            if (format != F.Current)
                throw new Refused($"configuration format {Int(format)}; this TypedBert reads format {Int(F.Current)} (write it again with this version's typedbert tune)", F.Format);
            var values = new SearchResultValues(
                Model: RequiredText(json, F.Model),
                Labels: Labels(json),
                Trial: RequiredInt(json, F.Trial),
                Metric: RequiredText(json, F.Metric),
                Value: RequiredNumber(json, F.Value),
                BestEpoch: OptionalInt(json, F.BestEpoch),
                EvaluatedOn: OptionalText(json, F.EvaluatedOn),
                Pooling: Pooling(json),
                Options: TrainingOptionTable.Searched.Select(o => new OptionValue(o.Name, Read(json, o))).ToEquatableArray());
            OptionalText(json, F.TrainedOn);   // read for its type only, as the run-time reader does
            return new SearchResultScan(path, filePath, values, fields.ToEquatableArray(), firstLine, null, default);
        }
        catch (Refused e)
        {
            return Failed(e.Message, e.Field is { } field ? At(field) : firstLine);
        }
    }

    static object? Get(Dictionary<string, object?> json, string name, bool required)
    {
        if (json.TryGetValue(name, out var value)) return value;
        if (required) throw new Refused($"it has no \"{name}\" (typedbert tune writes every property; this is not its best.json, or an edited one)", null);
        return null;
    }

    static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"the text \"{s}\"",
        MiniJson.JsonNumber n => $"the number {n.Raw}",
        bool b => b ? "true" : "false",
        System.Collections.IList => "an array",
        _ => "an object",
    };

    static string RequiredText(Dictionary<string, object?> json, string name) =>
        Get(json, name, required: true) is string text ? text : throw new Refused($"\"{name}\" is {Describe(json[name])}, not a text", name);

    static string? OptionalText(Dictionary<string, object?> json, string name) => Get(json, name, required: false) switch
    {
        null => null,
        string text => text,
        var other => throw new Refused($"\"{name}\" is {Describe(other)}, not a text", name),
    };

    /// <summary>A number as JSON writes it (MiniJson is more lenient: a leading zero or plus), which System.Text.Json insists on.</summary>
    static readonly Regex JsonNumber = new("^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant);

    static double? Number(object? value, string name)
    {
        if (value is null) return null;
        if (value is MiniJson.JsonNumber number && JsonNumber.IsMatch(number.Raw)
            && double.TryParse(number.Raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            return !double.IsInfinity(d) ? d : throw new Refused($"\"{name}\" is {number.Raw}, beyond the range of a number", name);
        throw new Refused($"\"{name}\" is {Describe(value)}, not a number", name);
    }

    static double RequiredNumber(Dictionary<string, object?> json, string name) =>
        Number(Get(json, name, required: true), name) ?? throw new Refused($"\"{name}\" is null, not a number", name);

    static double? OptionalNumber(Dictionary<string, object?> json, string name) => Number(Get(json, name, required: false), name);

    /// <summary>A whole number as System.Text.Json reads an <c>int</c>: digits with an optional minus, no fraction or exponent, within Int32.</summary>
    static int? WholeNumber(object? value, string name)
    {
        if (value is null) return null;
        if (value is MiniJson.JsonNumber number && JsonNumber.IsMatch(number.Raw) && number.Raw.TrimStart('-').All(char.IsDigit)
            && int.TryParse(number.Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i))
            return i;
        throw new Refused($"\"{name}\" is {Describe(value)}, not a whole number", name);
    }

    static int RequiredInt(Dictionary<string, object?> json, string name) =>
        WholeNumber(Get(json, name, required: true), name) ?? throw new Refused($"\"{name}\" is null, not a whole number", name);

    static int? OptionalInt(Dictionary<string, object?> json, string name) => WholeNumber(Get(json, name, required: false), name);

    static bool Bool(Dictionary<string, object?> json, string name) =>
        !json.TryGetValue(name, out var value) ? false : value is bool b ? b : throw new Refused($"\"{name}\" is {Describe(value)}, not true or false", name);

    /// <summary>
    /// An option's property as BestConfiguration declares it: a switch is false when absent, an option unset by default (the maximum
    /// length, the weight averaging) may be absent or null, every other one is required.
    /// </summary>
    static double? Read(Dictionary<string, object?> json, TrainingOption option) => (option.Kind, option.Default) switch
    {
        (OptionKind.Switch, _) => Bool(json, option.JsonKey!) ? 1 : 0,
        (OptionKind.Whole, null) => OptionalInt(json, option.JsonKey!),
        (OptionKind.Whole, _) => RequiredInt(json, option.JsonKey!),
        (_, null) => OptionalNumber(json, option.JsonKey!),
        _ => RequiredNumber(json, option.JsonKey!),
    };

    static EquatableArray<string>? Labels(Dictionary<string, object?> json)
    {
        switch (Get(json, F.Labels, required: false))
        {
            case null: return null;
            case List<object?> items:
                var labels = new List<string>();
                foreach (var item in items)
                    labels.Add(item as string ?? throw new Refused($"\"{F.Labels}\" holds {Describe(item)}; its items are label names", F.Labels));
                return labels.ToEquatableArray();
            case var other:
                throw new Refused($"\"{F.Labels}\" is {Describe(other)}, not an array of label names", F.Labels);
        }
    }

    /// <summary>As JsonStringEnumConverter reads it: a member's name in any case, or its number.</summary>
    static PoolingStrategy? Pooling(Dictionary<string, object?> json)
    {
        var value = Get(json, F.Pooling, required: false);
        var names = string.Join(", ", Enum.GetNames(typeof(PoolingStrategy)));
        switch (value)
        {
            case null: return null;
            case string name when Enum.TryParse(name, ignoreCase: true, out PoolingStrategy pooling) && Enum.IsDefined(typeof(PoolingStrategy), pooling):
                return pooling;
            case MiniJson.JsonNumber number when int.TryParse(number.Raw, NumberStyles.None, CultureInfo.InvariantCulture, out int id) && Enum.IsDefined(typeof(PoolingStrategy), id):
                return (PoolingStrategy)id;
            default:
                throw new Refused($"\"{F.Pooling}\" is {Describe(value)}, not a pooling strategy ({names})", F.Pooling);
        }
    }
}
