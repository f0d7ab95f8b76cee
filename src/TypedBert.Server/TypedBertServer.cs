using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TypedBert.Server;

/// <summary>
/// A stand-alone prediction server: Kestrel on <see cref="TypedBertServerOptions.Urls"/> (127.0.0.1 by default) with the
/// <see cref="TypedBertEndpointRouteBuilderExtensions.MapTypedBert"/> endpoints and nothing else.
/// </summary>
public static partial class TypedBertServer
{
    /// <summary>
    /// A builder with Kestrel, routing and the server's services. It reads no configuration files or environment variables,
    /// so nothing outside <paramref name="options"/> can change the addresses or the limits.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(TypedBertServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "TypedBert.Server",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.WebHost.UseUrls(options.Urls);
        // Stopping waits this long for the requests in flight (Kestrel stops accepting first, then drains; see ServedModelStartup).
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout);
        builder.Services.AddRoutingCore();
        builder.Services.AddTypedBertServer(options);
        return builder;
    }

    /// <summary>Builds the application from <see cref="CreateBuilder"/> and maps the endpoints; start it with <c>StartAsync</c> or <c>RunAsync</c>.</summary>
    /// <param name="options">Model, addresses, key and limits.</param>
    /// <param name="logging">Where logs go (none when null).</param>
    public static WebApplication Create(TypedBertServerOptions options, Action<ILoggingBuilder>? logging = null)
    {
        var builder = CreateBuilder(options);
        logging?.Invoke(builder.Logging);
        var app = builder.Build();
        app.MapTypedBert();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TypedBert.Server");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var address in Addresses(app))
            {
                LogListening(logger, address);
                if (options.ApiKey is null && !IsLoopback(address)) LogOpenToNetwork(logger, address);
            }
        });
        app.Lifetime.ApplicationStopping.Register(() =>
            LogDraining(logger, app.Services.GetRequiredService<Health.ServerReadiness>().InFlight, options.DrainTimeout.TotalSeconds));
        return app;
    }

    /// <summary>The addresses the server listens on, with the real port where port 0 was asked for; valid once started.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses];
    }

    internal static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "listening on {Address}")]
    static partial void LogListening(ILogger logger, string address);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "stopping: no new connections; answering the {InFlight} requests in flight (at most {Seconds:0.#} s)")]
    static partial void LogDraining(ILogger logger, int inFlight, double seconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Address} is reachable from other machines and no API key is set: anyone who can reach it can use the model")]
    static partial void LogOpenToNetwork(ILogger logger, string address);
}
