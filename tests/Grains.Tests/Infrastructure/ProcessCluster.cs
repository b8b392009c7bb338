using System.Globalization;
using System.Net.Http.Headers;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// Silo and gateway processes on the embedded default, started from the build output on free ports of
/// 127.0.0.1, with Slack and Dagen pointed at a <see cref="LocalStandIn"/>.
/// </summary>
public static class ProcessCluster
{
    public const string AdminToken = "process-test-admin-token-7d2e";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Starts a silo and waits until it serves; <paramref name="settings"/> add to the defaults.</summary>
    public static async Task<ChildProcess> StartSiloAsync(
        int siloPort, int gatewayPort, LocalStandIn standIn, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(standIn);
        var all = new Dictionary<string, string>(standIn.SiloSettings)
        {
            ["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Secrets__ActiveKeyId"] = TestSettings.KeyId,
            [$"Secrets__Keys__{TestSettings.KeyId}"] = TestSettings.Key,
            ["Gateway__WebhookHosts"] = "hooks.slack.com,127.0.0.1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var silo = ChildProcess.StartDotnet("silo", RepoPaths.SiloDll, all);
        await silo.WaitForOutputAsync("Application started", StartTimeout);
        return silo;
    }

    /// <summary>Starts a gateway on a free port and waits until it reaches the cluster (<c>/readyz</c>).</summary>
    public static async Task<(ChildProcess Process, HttpClient Http)> StartGatewayAsync(
        string name, int siloGatewayPort)
    {
        var port = FreePorts.Next();
        var gateway = ChildProcess.StartDotnet(name, RepoPaths.GatewayDll, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Orleans__GatewayPort"] = siloGatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Gateway__AdminToken"] = AdminToken,
            ["Gateway__PublicBaseUrl"] = $"http://127.0.0.1:{port}",
        });
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
                var output = gateway.Output;
                await gateway.DisposeAsync();
                throw new InvalidOperationException($"{name} did not become ready. Output:\n{output}");
            }

            await Task.Delay(200);
        }
    }
}
