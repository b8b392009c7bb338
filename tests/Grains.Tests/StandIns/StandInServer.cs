using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dagen.Grains.Tests.StandIns;

/// <summary>
/// A small HTTP server on 127.0.0.1 with a port the OS picks, for stand-ins of the services the product calls.
/// Subclasses map their routes; <see cref="BaseUrl"/> is known once <see cref="StartAsync"/> returns.
/// </summary>
public abstract class StandInServer : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The root of the server, ending with a slash.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Waits, in real time and at most <paramref name="timeout"/>, until the condition holds.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    protected async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();

        _app = builder.Build();
        Map(_app);
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
    }

    protected abstract void Map(WebApplication app);
}
