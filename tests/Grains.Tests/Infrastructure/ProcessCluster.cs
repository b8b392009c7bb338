using System.Net.Http.Headers;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>Settings and start-up of silo and gateway processes for tests that need real processes.</summary>
public static class ProcessCluster
{
    public const string AdminToken = "process-test-admin-token-7d2e";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Key ring settings as environment variables: <paramref name="active"/> seals, all open.</summary>
    public static Dictionary<string, string> KeyRing(string active, params (string Id, string Key)[] keys)
    {
        var settings = new Dictionary<string, string> { ["Secrets__ActiveKeyId"] = active };
        foreach (var (id, key) in keys)
        {
            settings[$"Secrets__Keys__{id}"] = key;
        }

        return settings;
    }

    /// <summary>
    /// Starts a silo and waits until it serves; <paramref name="settings"/> add to or override the defaults.
    /// </summary>
    public static async Task<ProductProcess> StartSiloAsync(
        int siloPort, int gatewayPort, LocalStandIn standIn, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(standIn);
        var all = new Dictionary<string, string>(standIn.SiloSettings)
        {
            ["Orleans__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway__WebhookHosts"] = "hooks.slack.com,127.0.0.1",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var silo = ProductProcess.Start("Silo", "Dagen.Silo", all);
        await silo.WaitForOutputAsync("Application started", StartTimeout);
        return silo;
    }

    /// <summary>Starts a gateway on a free port and waits until it reaches the cluster (<c>/readyz</c>).</summary>
    public static async Task<(ProductProcess Process, HttpClient Http)> StartGatewayAsync(
        int siloGatewayPort, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = ProductProcess.FreePort();
        var all = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Orleans__GatewayPort"] = siloGatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway__AdminToken"] = AdminToken,
            ["Gateway__PublicBaseUrl"] = $"http://127.0.0.1:{port}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var gateway = ProductProcess.Start("Gateway", "Dagen.Gateway", all);
        var http = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(10),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        var until = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync("/readyz");
                if (ready.IsSuccessStatusCode)
                {
                    return (gateway, http);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (gateway.HasExited || DateTime.UtcNow > until)
            {
                http.Dispose();
                await gateway.DisposeAsync();
                throw new InvalidOperationException($"The gateway did not become ready. Output:\n{gateway.Output}");
            }

            await Task.Delay(200);
        }
    }
}
