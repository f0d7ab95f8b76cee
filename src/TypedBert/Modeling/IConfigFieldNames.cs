using System.Text.Json.Nodes;

namespace TypedBert.Modeling;

/// <summary>A family's own names for the common <c>config.json</c> fields, mapped to and from <see cref="EncoderConfig"/>'s.</summary>
internal interface IConfigFieldNames
{
    /// <summary>A configuration as read from the family's file, with its own names moved into the standard fields.</summary>
    EncoderConfig ToStandardNames(EncoderConfig raw, string source);

    /// <summary>The serialised standard fields of <paramref name="root"/> renamed to the family's.</summary>
    JsonObject ToOwnNames(JsonObject root);
}
