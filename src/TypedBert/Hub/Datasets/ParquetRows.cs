using System.Globalization;
using Parquet;
using Parquet.Schema;
using TypedBert.Data;

namespace TypedBert.Hub.Datasets;

/// <summary>
/// Reads labelled texts from a Parquet file of a hub dataset, with the error reporting of <see cref="DataFile"/>: a problem names the
/// file, the 1-based row and the column.
/// </summary>
internal static class ParquetRows
{
    /// <summary>The rows of <paramref name="path"/>, and the ClassLabel names of the label column when the file describes them.</summary>
    public static async Task<(List<DataRow> Rows, IReadOnlyList<string>? LabelNames)> ReadAsync(string path, DataColumns columns, bool skipBadRows,
        List<DataFormatException> skipped, CancellationToken cancel)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path, cancellationToken: cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException || e.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true)
        {
            throw new DataFormatException(path, 1, $"not a readable Parquet file ({e.Message})");
        }
        await using (reader.ConfigureAwait(false))
        {
            string[] textNames = [.. columns.Text.Split(',').Select(c => c.Trim())];
            var textFields = textNames.Select(n => Field(reader.Schema, n, path)).ToArray();
            var pairField = columns.TextPair is null ? null : Field(reader.Schema, columns.TextPair, path);
            var labelField = Field(reader.Schema, columns.Label, path);
            foreach (var field in textFields.Append(pairField).OfType<DataField>())
                if (!IsText(field))
                    throw new DataFormatException(path, 1, $"column \"{field.Name}\" holds {field.ClrType.Name}, not text");
            var labelNames = DatasetFeatures.ClassLabelNames(reader.CustomMetadata, columns.Label);

            var rows = new List<DataRow>();
            int rowOffset = 0;
            for (int group = 0; group < reader.RowGroupCount; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                int count = checked((int)rowGroup.RowCount);
                var texts = new string?[textFields.Length][];
                for (int t = 0; t < textFields.Length; t++) texts[t] = await ReadStringsAsync(rowGroup, textFields[t], count, cancel).ConfigureAwait(false);
                var pairs = pairField is null ? null : await ReadStringsAsync(rowGroup, pairField, count, cancel).ConfigureAwait(false);
                var labels = await ReadValuesAsync(rowGroup, labelField, count, path, cancel).ConfigureAwait(false);
                for (int i = 0; i < count; i++)
                {
                    int row = rowOffset + i + 1;
                    try
                    {
                        var parts = new string[textFields.Length];
                        for (int t = 0; t < textFields.Length; t++) parts[t] = texts[t][i] ?? throw Null(path, row, textFields[t].Name);
                        string? pair = pairs is null ? null : pairs[i] ?? throw Null(path, row, pairField!.Name);
                        string label = LabelText(labels[i], labelNames, path, row, labelField.Name);
                        rows.Add(new DataRow(path, row, string.Join(columns.JoinTextColumnsWith, parts), pair, label));
                    }
                    catch (DataFormatException e) when (skipBadRows)
                    {
                        skipped.Add(e);
                    }
                }
                rowOffset += count;
            }
            return (rows, labelNames);
        }
    }

    static DataField Field(ParquetSchema schema, string name, string path) =>
        schema.DataFields.FirstOrDefault(f => f.Name == name && f.Path.Length == 1) is { } field
            ? field.IsArray
                ? throw new DataFormatException(path, 1, $"column \"{name}\" holds lists, which TypedBert does not read yet")
                : field
            : throw new DataFormatException(path, 1, $"no column \"{name}\" (columns: {string.Join(", ", schema.Fields.Select(f => f.Name))})");

    /// <summary>Parquet.Net 6 describes UTF-8 columns as <see cref="ReadOnlyMemory{T}"/> of char; older versions as string.</summary>
    static bool IsText(DataField field) => field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>);

    static DataFormatException Null(string path, int row, string column) => new(path, row, $"column \"{column}\" is empty (null)");

    static string LabelText(object? value, IReadOnlyList<string>? names, string path, int row, string column)
    {
        switch (value)
        {
            case null:
                throw Null(path, row, column);
            case string text:
                return text;
            case bool flag:
                return flag ? "true" : "false";
            case float or double:
                return Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
        }
        long id = Convert.ToInt64(value, CultureInfo.InvariantCulture);
        if (names is null) return id.ToString(CultureInfo.InvariantCulture);
        if (id >= 0 && id < names.Count) return names[(int)id];
        throw new DataFormatException(path, row, id == -1
            ? $"column \"{column}\" is -1, which Hugging Face datasets use for \"no label\" (an unlabelled split, such as a benchmark's hidden test set)"
            : $"column \"{column}\" is {id}, outside the ClassLabel names {string.Join(", ", names)}");
    }

    static async Task<string?[]> ReadStringsAsync(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancel)
    {
        var values = new string?[count];
        await rowGroup.ReadAsync(field, values.AsMemory()!, null, cancel).ConfigureAwait(false);
        return values;
    }

    static async Task<object?[]> ReadValuesAsync(ParquetRowGroupReader rowGroup, DataField field, int count, string path, CancellationToken cancel)
    {
        var type = field.ClrType;
        if (IsText(field)) return await ReadStringsAsync(rowGroup, field, count, cancel).ConfigureAwait(false);
        if (type == typeof(long)) return await ReadNumbersAsync<long>(rowGroup, field, count, cancel).ConfigureAwait(false);
        if (type == typeof(int)) return await ReadNumbersAsync<int>(rowGroup, field, count, cancel).ConfigureAwait(false);
        if (type == typeof(short)) return await ReadNumbersAsync<short>(rowGroup, field, count, cancel).ConfigureAwait(false);
        if (type == typeof(sbyte)) return await ReadNumbersAsync<sbyte>(rowGroup, field, count, cancel).ConfigureAwait(false);
        if (type == typeof(byte)) return await ReadNumbersAsync<byte>(rowGroup, field, count, cancel).ConfigureAwait(false);
        if (type == typeof(bool)) return await ReadNumbersAsync<bool>(rowGroup, field, count, cancel).ConfigureAwait(false);
        if (type == typeof(float)) return await ReadNumbersAsync<float>(rowGroup, field, count, cancel).ConfigureAwait(false);
        if (type == typeof(double)) return await ReadNumbersAsync<double>(rowGroup, field, count, cancel).ConfigureAwait(false);
        throw new DataFormatException(path, 1, $"column \"{field.Name}\" holds {type.Name}; a label must be text, an integer (ClassLabel), a boolean or a number");
    }

    static async Task<object?[]> ReadNumbersAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancel) where T : struct
    {
        var values = new T?[count];
        await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, cancel).ConfigureAwait(false);
        return [.. values.Select(v => v.HasValue ? (object)v.Value : null)];
    }
}
