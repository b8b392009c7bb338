using System.Net;
using Dagen.Grains.Tests.Infrastructure;

namespace Dagen.Grains.Tests.Hosting;

[Collection(ProcessCollection.Name)]
public sealed class ProcessStartupTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GatewayIsAliveAtOnceAndReadyOnlyOnceASiloIsUp()
    {
        var siloPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        await using var backends = await LocalBackends.StartAsync();
        var cluster = new Dictionary<string, string>(backends.Environment)
        {
            ["Orleans__ClusterId"] = $"embedded-{Guid.NewGuid():N}",
            ["Orleans__SiloPort"] = $"{siloPort}",
            ["Orleans__GatewayPort"] = $"{gatewayPort}",
            ["Secrets__ActiveKeyId"] = TestSettings.KeyId,
            [$"Secrets__Keys__{TestSettings.KeyId}"] = TestSettings.Key,
            ["Gateway__AdminToken"] = ProcessCluster.AdminToken,
        };
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };

        await using var gateway = ChildProcess.StartDotnet(
            "gateway", RepoPaths.GatewayDll, cluster, "--urls", $"http://127.0.0.1:{httpPort}");
        await WaitForStatusAsync(http, "/healthz", HttpStatusCode.OK);
        var beforeSilo = await http.GetAsync("/readyz");

        await using var silo = ChildProcess.StartDotnet("silo", RepoPaths.SiloDll, cluster);
        await WaitForStatusAsync(http, "/readyz", HttpStatusCode.OK);
        await silo.KillAsync();
        await WaitForStatusAsync(http, "/readyz", HttpStatusCode.ServiceUnavailable);
        var alive = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, beforeSilo.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Theory]
    [InlineData("Orleans__Clustering", "Zookeeper", "Orleans:Clustering")]
    [InlineData("Orleans__SiloPort", "-1", "Orleans:SiloPort")]
    [InlineData("Orleans__Clustering", "AdoNet", "ConnectionStrings:Orleans")]
    public async Task SiloWithAWrongSettingStopsWithOneLineNamingIt(string variable, string value, string named)
    {
        await using var silo = ChildProcess.StartDotnet(
            "silo", RepoPaths.SiloDll, new Dictionary<string, string> { [variable] = value });

        var exitCode = await silo.WaitForExitAsync(Patience);

        var lines = silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, exitCode);
        var line = Assert.Single(lines);
        Assert.Contains(named, line);
        Assert.Contains("set", line);
    }

    private static async Task WaitForStatusAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(path);
                if (response.StatusCode == expected)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{path} did not answer {(int)expected} within {Patience}.");
            }

            await Task.Delay(250);
        }
    }
}
