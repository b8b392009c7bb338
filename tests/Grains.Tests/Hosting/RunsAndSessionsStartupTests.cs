using Dagen.Grains.Tests.Infrastructure;

namespace Dagen.Grains.Tests.Hosting;

[Collection(ProcessCollection.Name)]
public sealed class RunsAndSessionsStartupTests
{
    [Theory]
    [InlineData("Agents__BaseUrl", "ftp://127.0.0.1/v1", "Agents:BaseUrl")]
    [InlineData("WorkflowRuns__PollInterval", "00:00:00", "WorkflowRuns:PollInterval")]
    [InlineData("Sessions__ResumePeriod", "00:00:05", "Sessions:ResumePeriod")]
    public async Task SiloWithAWrongRunOrSessionSettingStopsNamingIt(string variable, string value, string named)
    {
        await using var backends = await LocalBackends.StartAsync();
        var cluster = new Dictionary<string, string>(backends.Environment)
        {
            ["Orleans__ClusterId"] = $"embedded-{Guid.NewGuid():N}",
            ["Orleans__SiloPort"] = $"{FreePorts.Next()}",
            ["Orleans__GatewayPort"] = $"{FreePorts.Next()}",
            ["Secrets__ActiveKeyId"] = TestSettings.KeyId,
            [$"Secrets__Keys__{TestSettings.KeyId}"] = TestSettings.Key,
            [variable] = value,
        };
        await using var silo = ChildProcess.StartDotnet("silo", RepoPaths.SiloDll, cluster);

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            l => l.StartsWith("Configuration error:", StringComparison.Ordinal));
        Assert.Contains(named, line);
        Assert.Contains("set it", line);
    }
}
