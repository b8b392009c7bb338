using Dagen.Gateway.Hosting;
using Dagen.Grains.Tests.Infrastructure;

namespace Dagen.Grains.Tests.Hosting;

public sealed class StartupValidationTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private static string Port() =>
        ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ASiloWithoutAKeyRingStopsAndSaysHowToCreateAKey()
    {
        await using var standIn = await LocalStandIn.StartAsync();
        var silo = ProductProcess.Start("Silo", "Dagen.Silo", new Dictionary<string, string>(standIn.SiloSettings)
        {
            ["Orleans__SiloPort"] = Port(),
            ["Orleans__GatewayPort"] = Port(),
        });
        await using (silo)
        {
            Assert.True(await silo.WaitForExitAsync(ExitTimeout), silo.Output);
            Assert.Equal(2, silo.ExitCode);
            Assert.Contains("Secrets:ActiveKeyId", silo.Output);
            Assert.Contains("openssl rand -base64 32", silo.Output);
        }
    }

    [Fact]
    public async Task ASiloWithAMalformedKeyStopsAndNamesIt()
    {
        await using var standIn = await LocalStandIn.StartAsync();
        var settings = new Dictionary<string, string>(standIn.SiloSettings)
        {
            ["Orleans__SiloPort"] = Port(),
            ["Orleans__GatewayPort"] = Port(),
            ["Secrets__ActiveKeyId"] = "k1",
            ["Secrets__Keys__k1"] = "dG9vIHNob3J0",
        };
        var silo = ProductProcess.Start("Silo", "Dagen.Silo", settings);
        await using (silo)
        {
            Assert.True(await silo.WaitForExitAsync(ExitTimeout), silo.Output);
            Assert.Equal(2, silo.ExitCode);
            Assert.Contains("Secrets:Keys:k1 is not the base64 of 32 bytes", silo.Output);
            Assert.DoesNotContain("dG9vIHNob3J0", silo.Output);
        }
    }

    [Fact]
    public async Task AGatewayWithoutAnAdminTokenStopsAndSaysHowToSetIt()
    {
        var gateway = ProductProcess.Start("Gateway", "Dagen.Gateway", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ProductProcess.FreePort()}",
            ["Orleans__GatewayPort"] = Port(),
        });
        await using (gateway)
        {
            Assert.True(await gateway.WaitForExitAsync(ExitTimeout), gateway.Output);
            Assert.Equal(2, gateway.ExitCode);
            Assert.Contains("Gateway:AdminToken", gateway.Output);
            Assert.Contains("Gateway__AdminToken", gateway.Output);
        }
    }

    [Theory]
    [InlineData("AdminToken", "short", "shorter than 16")]
    [InlineData("PublicBaseUrl", "ftp://dagen.example.com", "Gateway:PublicBaseUrl")]
    [InlineData("ClusterCallTimeout", "00:00:05", "within 3 seconds")]
    [InlineData("EventBodyLimitBytes", "100", "EventBodyLimitBytes")]
    public void AWrongGatewaySettingNamesTheFix(string property, string value, string expected)
    {
        var options = new GatewayOptions { AdminToken = "a-long-enough-admin-token" };
        typeof(GatewayOptions).GetProperty(property)!.SetValue(options, property switch
        {
            "ClusterCallTimeout" => TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
            "EventBodyLimitBytes" => int.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => value,
        });

        var result = new GatewayOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }
}
