using Dagen.Gateway.Hosting;
using Dagen.Grains.Tests.Infrastructure;

namespace Dagen.Grains.Tests.Hosting;

[Collection(ProcessCollection.Name)]
public sealed class StartupValidationTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> EmbeddedSilo() => new()
    {
        ["Orleans__ClusterId"] = $"embedded-{Guid.NewGuid():N}",
        ["Orleans__SiloPort"] = $"{FreePorts.Next()}",
        ["Orleans__GatewayPort"] = $"{FreePorts.Next()}",
    };

    private static string ErrorLine(ChildProcess process) =>
        Assert.Single(process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            l => l.StartsWith("Configuration error:", StringComparison.Ordinal));

    [Fact]
    public async Task ASiloWithoutAKeyRingStopsAndSaysHowToCreateAKey()
    {
        await using var silo = ChildProcess.StartDotnet("silo", RepoPaths.SiloDll, EmbeddedSilo());

        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        var line = ErrorLine(silo);
        Assert.Contains("Secrets:ActiveKeyId", line);
        Assert.Contains("openssl rand -base64 32", line);
    }

    [Fact]
    public async Task ASiloWithAMalformedKeyStopsAndNamesItWithoutShowingIt()
    {
        var settings = EmbeddedSilo();
        settings["Secrets__ActiveKeyId"] = "k1";
        settings["Secrets__Keys__k1"] = "dG9vIHNob3J0";

        await using var silo = ChildProcess.StartDotnet("silo", RepoPaths.SiloDll, settings);

        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("Secrets:Keys:k1 is not the base64 of 32 bytes", ErrorLine(silo));
        Assert.DoesNotContain("dG9vIHNob3J0", silo.Output);
    }

    [Fact]
    public async Task ASiloWithSeveralWrongSectionsNamesThemAllInOneLine()
    {
        var settings = EmbeddedSilo();
        settings["EventDedup__Retention"] = "00:10:00";

        await using var silo = ChildProcess.StartDotnet("silo", RepoPaths.SiloDll, settings);

        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        var line = ErrorLine(silo);
        Assert.Contains("Secrets:ActiveKeyId", line);
        Assert.Contains("EventDedup:Retention", line);
    }

    [Fact]
    public async Task AGatewayWithoutAnAdminTokenStopsAndSaysHowToSetIt()
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePorts.Next()}",
            ["Orleans__GatewayPort"] = $"{FreePorts.Next()}",
        };

        await using var gateway = ChildProcess.StartDotnet("gateway", RepoPaths.GatewayDll, settings);

        Assert.Equal(2, await gateway.WaitForExitAsync(ExitTimeout));
        var line = ErrorLine(gateway);
        Assert.Contains("Gateway:AdminToken", line);
        Assert.Contains("Gateway__AdminToken", line);
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
