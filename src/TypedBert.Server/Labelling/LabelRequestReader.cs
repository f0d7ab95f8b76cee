using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TypedBert.Data;
using TypedBert.Server.Protocol;

namespace TypedBert.Server.Labelling;

/// <summary>
/// Reads <c>POST /label</c> (<c>{"id": "...", "labels": ["..."]}</c>) and <c>POST /label/undo</c> (<c>{"id": "..."}</c>): the id must be a
/// text of the pool (nothing else can be written to the file) and every label one of the served model's, spelled as it spells them.
/// </summary>
internal static class LabelRequestReader
{
    public static async Task<(PoolText Text, string? LabelCell)> ReadAsync(HttpContext context, TypedBertServerOptions options, LabelPool pool,
        IReadOnlyList<string> modelLabels, bool multiLabel, bool withLabels)
    {
        using var document = await JsonRequestBody.ReadAsync(context, options);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw Bad("the body must be a JSON object", null);
        foreach (var property in root.EnumerateObject())
            if (property.Name is not ("id" or "labels") || (property.Name == "labels" && !withLabels))
                throw Bad($"unknown field \"{property.Name}\"; the fields are {(withLabels ? "\"id\" and \"labels\"" : "\"id\"")}", property.Name);
        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
            throw Bad("\"id\" (a string, the id GET /label/next gave the text) is required", "id");
        var text = pool.Find(idElement.GetString()!) ?? throw Bad($"no text of the pool has id \"{idElement.GetString()}\"", "id");
        if (!withLabels) return (text, null);

        if (!root.TryGetProperty("labels", out var labelsElement) || labelsElement.ValueKind != JsonValueKind.Array)
            throw Bad("\"labels\" (an array of label names) is required", "labels");
        var chosen = new List<string>();
        int index = 0;
        foreach (var element in labelsElement.EnumerateArray())
        {
            string field = $"labels[{index++}]";
            string? name = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
            if (name is null || !modelLabels.Contains(name, StringComparer.Ordinal))
                throw Bad($"{(name is null ? "a label must be a string" : $"\"{name}\" is not a label of the served model")}; its labels are {string.Join(", ", modelLabels)}", field);
            if (!chosen.Contains(name, StringComparer.Ordinal)) chosen.Add(name);
        }
        if (multiLabel ? chosen.Count == 0 : chosen.Count != 1)
            throw Bad(multiLabel ? "choose at least one label" : $"a single-label model takes exactly one label, not {chosen.Count}", "labels");
        // In the model's label order, so that the same choice is always the same cell.
        var cell = string.Join(LabelSet.MultiLabelSeparator, modelLabels.Where(chosen.Contains));
        return (text, cell);
    }

    static RequestRejectedException Bad(string message, string? field) => new(StatusCodes.Status400BadRequest, message, field);
}
