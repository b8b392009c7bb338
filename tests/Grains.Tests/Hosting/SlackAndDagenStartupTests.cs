using Dagen.Grains.Tests.Infrastructure;

namespace Dagen.Grains.Tests.Hosting;

[Collection(ProcessCollection.Name)]
public sealed class SlackAndDagenStartupTests
{
    [Theory]
    [InlineData("Dagen__BaseUrl", "", "Dagen:BaseUrl is not set")]
    [InlineData("Dagen__BaseUrl", "ftp://127.0.0.1/", "Dagen:BaseUrl is 'ftp://127.0.0.1/'")]
    [InlineData("Slack__ApiBaseUrl", "slack.com/api", "Slack:ApiBaseUrl is 'slack.com/api'")]
    [InlineData("Slack__MaxAttempts", "0", "Slack:MaxAttempts is 0")]
    public async Task SiloWithAWrongSlackOrDagenSettingStopsWithOneLineNamingIt(
        string variable, string value, string named)
    {
        await using var backends = await LocalBackends.StartAsync();

        var (exitCode, lines) = await StartSiloAsync(new(backends.Environment) { [variable] = value });

        Assert.Equal(2, exitCode);
        var line = Assert.Single(lines);
        Assert.Contains(named, line);
        Assert.Contains("set it to", line);
    }

    [Fact]
    public async Task WrongSettingsInSeveralSectionsStillMakeOneLine()
    {
        await using var backends = await LocalBackends.StartAsync();

        var (exitCode, lines) = await StartSiloAsync(new(backends.Environment)
        {
            ["Dagen__BaseUrl"] = "",
            ["Slack__MessageInterval"] = "00:00:00",
        });

        Assert.Equal(2, exitCode);
        var line = Assert.Single(lines);
        Assert.Contains("Dagen:BaseUrl", line);
        Assert.Contains("Slack:MessageInterval", line);
    }

    private static async Task<(int ExitCode, string[] Lines)> StartSiloAsync(Dictionary<string, string> settings)
    {
        settings["Orleans__ClusterId"] = $"embedded-{Guid.NewGuid():N}";
        settings["Orleans__SiloPort"] = $"{FreePorts.Next()}";
        settings["Orleans__GatewayPort"] = $"{FreePorts.Next()}";
        await using var silo = ChildProcess.StartDotnet("silo", RepoPaths.SiloDll, settings);

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        // Orleans and the host log too; the line meant for a person is the one that starts like this.
        var lines = silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith("Configuration error:", StringComparison.Ordinal))
            .ToArray();
        return (exitCode, lines);
    }
}
