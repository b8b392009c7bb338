using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// An HTTP server on 127.0.0.1 that silo processes under test are pointed at in place of Slack's Web API and
/// Dagen (<c>Slack:ApiBaseUrl</c>, <c>Dagen:BaseUrl</c>, <c>Agents:BaseUrl</c>), so nothing leaves the machine.
/// It answers every call with Slack's <c>{"ok":true}</c> and records the paths called.
/// </summary>
public sealed class LocalStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalStandIn(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The settings that point a silo at this stand-in.</summary>
    public IReadOnlyDictionary<string, string> SiloSettings => new Dictionary<string, string>
    {
        ["Slack__ApiBaseUrl"] = $"{BaseUrl}/api/",
        ["Dagen__BaseUrl"] = BaseUrl,
        ["Dagen__ApiToken"] = "dagen-test-token",
        ["Agents__BaseUrl"] = $"{BaseUrl}/v1",
        ["Agents__ApiKey"] = "agents-test-key",
    };

    public static async Task<LocalStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LocalStandIn? self = null;
        // Every path, dotted method names such as reactions.add included (a fallback route would skip those).
        app.Run(context =>
        {
            self?.Calls.Enqueue($"{context.Request.Method} {context.Request.Path}");
            return context.Response.WriteAsJsonAsync(new { ok = true });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        self = new LocalStandIn(app, address.TrimEnd('/'));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
