using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TypedBert.Server.Security;

/// <summary>
/// The server's API key, kept only as a SHA-256 digest. A presented key is hashed and compared in constant time, so
/// neither the comparison's duration nor the key's length tells a caller how close a guess was.
/// </summary>
internal sealed class ApiKey(string key)
{
    public const string HeaderName = "X-API-Key";

    readonly byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether the request carries the key in <c>X-API-Key</c> or <c>Authorization: Bearer</c>.</summary>
    public bool Accepts(HttpRequest request)
    {
        string? presented = Presented(request);
        if (presented is null) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), digest);
    }

    static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.Count == 1) return header[0];
        string? authorization = request.Headers.Authorization.Count == 1 ? request.Headers.Authorization[0] : null;
        const string bearer = "Bearer ";
        return authorization is not null && authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim() : null;
    }
}
