using System.Text;
using Microsoft.AspNetCore.Http;

namespace TypedBert.Server.Security;

/// <summary>
/// The server's own pages (the playground, the labelling page, the repository's model list): each answer carries the page's
/// content security policy and the same hardening headers, and the assets are read from the assembly, so no page can drift
/// from the others' rules.
/// </summary>
internal static class PageResponse
{
    /// <summary><paramref name="body"/> with <paramref name="contentSecurityPolicy"/>, no sniffing, no framing, no referrer, revalidated on each load.</summary>
    public static IResult Send(HttpContext context, byte[] body, string contentType, string contentSecurityPolicy)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Bytes(body, contentType);
    }

    /// <summary>An embedded page asset, as UTF-8 text.</summary>
    /// <param name="folder">The page's folder in this assembly, e.g. "Playground".</param>
    /// <param name="name">The asset's file name, e.g. "playground.js".</param>
    /// <param name="page">The page's name in the message when the asset is missing.</param>
    public static string Resource(string folder, string name, string page)
    {
        using var stream = typeof(PageResponse).Assembly.GetManifestResourceStream($"TypedBert.Server.{folder}.{name}")
            ?? throw new InvalidOperationException($"{page}'s {name} is missing from TypedBert.Server.dll");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
