using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TypedBert.Server.Protocol;

namespace TypedBert.Server.Security;

/// <summary>Answers 401 before the endpoint runs (and before its body is read) when the API key is missing or wrong.</summary>
internal sealed partial class ApiKeyFilter(ApiKey key, ILogger<ApiKeyFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (key.Accepts(http.Request)) return await next(context);
        // Neither the presented value nor the expected key is logged.
        LogRejected(http.Request.Method, http.Request.Path.Value ?? "", http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Json(new ErrorResponse($"missing or wrong API key: send it in {ApiKey.HeaderName} or Authorization: Bearer", ApiKey.HeaderName),
            statusCode: StatusCodes.Status401Unauthorized);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "{Method} {Path} from {Remote} refused: missing or wrong API key")]
    partial void LogRejected(string method, string path, string remote);
}
