using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Dagen.StandIns.Hosting;

/// <summary>
/// A stand-in's web server, listening on a loopback address only. Started with port 0 it takes a free port,
/// and <see cref="BaseUrl"/> tells which.
/// </summary>
public abstract class StandInServer : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private WebApplication? _app;

    /// <summary>Where the stand-in answers, with a trailing slash, e.g. <c>http://127.0.0.1:5090/</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The stand-in's services, for tests that need to look inside.</summary>
    protected IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("Not started.");

    /// <summary>Builds a web application that listens on <paramref name="listenUrl"/> and nothing else.</summary>
    internal static WebApplicationBuilder CreateBuilder(Uri listenUrl, StandInHostOptions host)
    {
        var address = LoopbackAddress(listenUrl);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(StandInServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Logging.ClearProviders();
        host.ConfigureLogging?.Invoke(builder.Logging);

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, listenUrl.Port));
        builder.Services.AddSingleton(host.TimeProvider);
        builder.Services.ConfigureHttpJsonOptions(json => StandInJson.Configure(json.SerializerOptions));
        return builder;
    }

    /// <summary>Starts <paramref name="app"/> and learns the port it was given.</summary>
    internal async Task StartAppAsync(WebApplication app, CancellationToken cancellationToken)
    {
        _app = app;
        await app.StartAsync(cancellationToken);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        var bound = addresses?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The stand-in started but reports no address.");
        BaseUrl = new Uri(bound.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            await OnStoppingAsync();
            await _app.StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
        _app = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs before the web server stops: ends background work of the stand-in.</summary>
    protected virtual Task OnStoppingAsync() => Task.CompletedTask;

    /// <summary>The loopback address of a listen URL; the stand-ins refuse to listen on anything else.</summary>
    internal static IPAddress LoopbackAddress(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"'{url}' is not an http:// URL; stand-ins serve plain HTTP on loopback.");
        }

        if (url.IsLoopback && IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip))
        {
            return ip;
        }

        if (url.IsLoopback)
        {
            return IPAddress.Loopback;
        }

        throw new ArgumentException(
            $"'{url}' is not a loopback address; stand-ins listen on 127.0.0.1 only (e.g. http://127.0.0.1:5090).");
    }
}
