using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace TypedBert.Server.Protocol;

/// <summary>
/// <c>POST /predict</c> reads JSON only: <c>application/json</c> or <c>application/*+json</c>, in UTF-8 (no charset, or
/// <c>charset=utf-8</c>). Anything else, or no Content-Type at all, is refused with 415 before the body is read: a body
/// labelled as something else is not the JSON the client meant to send, or not in the encoding the server reads.
/// </summary>
internal static class JsonContentType
{
    const string Fix = "send the body as JSON with Content-Type: application/json (curl: --json '{...}', or -d '{...}' -H 'Content-Type: application/json')";

    /// <summary>Null when the request's Content-Type is JSON in UTF-8; otherwise the 415 refusal.</summary>
    public static RequestRejectedException? Check(HttpRequest request)
    {
        string? header = request.ContentType;
        if (string.IsNullOrWhiteSpace(header))
            return Unsupported($"the request has no Content-Type; {Fix}");
        if (!MediaTypeHeaderValue.TryParse(header, out var mediaType))
            return Unsupported($"the Content-Type \"{EchoedText.Shorten(header)}\" is not a media type; {Fix}");
        bool json = mediaType.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
            && (mediaType.SubType.Equals("json", StringComparison.OrdinalIgnoreCase) || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
        if (!json)
            return Unsupported($"the body is {EchoedText.Shorten(mediaType.MediaType.Value ?? header)}, not JSON; {Fix}");
        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset);
        if (charset.HasValue && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            return Unsupported($"the body is in charset {EchoedText.Shorten(charset.Value ?? "")}; the server reads UTF-8 only: encode the body as UTF-8 and send charset=utf-8 or no charset");
        return null;
    }

    static RequestRejectedException Unsupported(string error) =>
        new(StatusCodes.Status415UnsupportedMediaType, error, "Content-Type");
}
