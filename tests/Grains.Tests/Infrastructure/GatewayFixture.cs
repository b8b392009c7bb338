using System.Net;
using System.Net.Http.Headers;
using Dagen.Gateway.Hosting;
using Dagen.Grains.Hosting;
using Dagen.Grains.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// The gateway's endpoints on Kestrel at 127.0.0.1 (a port the OS picks), over an in-process cluster of their
/// own whose webhook delivery is a <see cref="RecordingWebhookNotifier"/>. Silo and gateway share
/// <see cref="Clock"/>; the gateway's log lines are kept in <see cref="Logs"/>.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string AdminToken = "test-admin-token-4c1f9a7e2b";

    public const string PublicBaseUrl = "https://dagen.example.com";

    private InProcessTestCluster? _cluster;
    private WebApplication? _gateway;
    private LocalStandIn? _standIn;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    public RecordingWebhookNotifier Notifier { get; } = new();

    public MentionRecorder Mentions { get; } = new();

    public ClusterStalls Stalls { get; } = new();

    public FakeLogCollector Logs { get; } = new();

    public IClusterClient Client => _cluster?.Client ?? throw new InvalidOperationException("Cluster not started.");

    /// <summary>A client for the gateway, without the admin token.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>A client for the gateway that sends the admin token.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Stand-in first: whatever the silo calls in Slack or Dagen stays on 127.0.0.1.
        _standIn = await LocalStandIn.StartAsync();
        var settings = new Dictionary<string, string?>(TestSettings.Silo)
        {
            ["Slack:ApiBaseUrl"] = $"{_standIn.BaseUrl}/api/",
            ["Dagen:BaseUrl"] = _standIn.BaseUrl,
            ["Dagen:ApiToken"] = "dagen-test-token",
        };

        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(settings);
            host.Services.AddDagenGrainServices(host.Configuration);
            host.Services.RemoveAll<TimeProvider>();
            host.Services.AddSingleton<TimeProvider>(Clock);
            host.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            host.Services.AddSingleton<IWebhookNotifier>(Notifier);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(GrainStorage.Default);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<IOutgoingGrainCallFilter>(Mentions);
            silo.Services.AddSingleton<IIncomingGrainCallFilter>(Stalls);
            silo.Services.Configure<ReminderOptions>(
                options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();

        _gateway = BuildGateway();
        await _gateway.StartAsync();
        var address = _gateway.Services.GetRequiredService<IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.First();

        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        Admin = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        Admin?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_standIn is not null)
        {
            await _standIn.DisposeAsync();
        }
    }

    private WebApplication BuildGateway()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:AdminToken"] = AdminToken,
            ["Gateway:PublicBaseUrl"] = PublicBaseUrl,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new FakeLoggerProvider(Logs));

        builder.Services.AddDagenGateway(builder.Configuration);
        builder.Services.AddSingleton<IClusterClient>(Client);
        builder.Services.AddSingleton<IGrainFactory>(Client);
        builder.Services.RemoveAll<TimeProvider>();
        builder.Services.AddSingleton<TimeProvider>(Clock);

        var app = builder.Build();
        app.MapDagenGateway();
        return app;
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
