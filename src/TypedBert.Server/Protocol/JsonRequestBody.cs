using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TypedBert.Server.Protocol;

/// <summary>
/// The checks every JSON endpoint makes before it reads a field: a JSON content type (<see cref="JsonContentType"/>), the
/// server's body-size limit (413) and well-formed JSON (400), so <c>/predict</c> and <c>/explain</c> refuse alike.
/// </summary>
internal static class JsonRequestBody
{
    static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    /// <summary>The parsed body; the caller disposes it.</summary>
    public static async Task<JsonDocument> ReadAsync(HttpContext context, TypedBertServerOptions options)
    {
        var request = context.Request;
        if (JsonContentType.Check(request) is { } unsupported) throw unsupported;
        // The endpoint sets its own limit so that it holds in any host, not only in the one TypedBertServer builds.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = options.MaxRequestBodyBytes;
        if (request.ContentLength > options.MaxRequestBodyBytes) throw BodyTooLarge(options);
        try
        {
            return await JsonDocument.ParseAsync(request.Body, DocumentOptions, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw BodyTooLarge(options);
        }
        catch (JsonException e)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, $"the body is not valid JSON: {e.Message}", null);
        }
    }

    static RequestRejectedException BodyTooLarge(TypedBertServerOptions options) =>
        new(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.MaxRequestBodyBytes} bytes", null);
}
