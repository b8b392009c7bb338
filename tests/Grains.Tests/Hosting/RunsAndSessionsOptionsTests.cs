using Dagen.Grains.Agents;
using Dagen.Grains.Hosting;
using Dagen.Grains.Sessions;
using Dagen.Grains.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Tests.Hosting;

public sealed class RunsAndSessionsOptionsTests
{
    private static ServiceProvider Services(params (string Key, string? Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        return new ServiceCollection().AddLogging().AddDagenGrainServices(configuration).BuildServiceProvider();
    }

    [Fact]
    public void NothingSetGivesTheDocumentedDefaults()
    {
        using var services = Services();

        var agents = services.GetRequiredService<IOptions<AgentOptions>>().Value;
        var runs = services.GetRequiredService<IOptions<WorkflowRunOptions>>().Value;
        var sessions = services.GetRequiredService<IOptions<SessionOptions>>().Value;

        Assert.Null(agents.BaseUrl);
        Assert.Equal("super-agent", agents.SuperAgentModel);
        Assert.Equal(TimeSpan.FromSeconds(5), runs.PollInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), runs.ReminderPeriod);
        Assert.Equal(20, sessions.MaxHistoryTurns);
    }

    [Fact]
    public void TheAgentsDefaultToDagensBaseUrlAndToken()
    {
        using var services = Services(("Dagen:BaseUrl", "http://127.0.0.1:5091/"), ("Dagen:ApiToken", "dagen-test"));

        var agents = services.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal("http://127.0.0.1:5091/v1", agents.BaseUrl);
        Assert.Equal("dagen-test", agents.ApiKey);
    }

    [Fact]
    public void TheAgentsOwnSettingsWinOverDagens()
    {
        using var services = Services(
            ("Dagen:BaseUrl", "http://127.0.0.1:5091"),
            ("Agents:BaseUrl", "http://127.0.0.1:6000/v1"),
            ("Agents:ApiKey", "agents-test"));

        var agents = services.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal("http://127.0.0.1:6000/v1", agents.BaseUrl);
        Assert.Equal("agents-test", agents.ApiKey);
    }

    [Theory]
    [InlineData("Agents:BaseUrl", "not a url", "Agents__BaseUrl")]
    [InlineData("Agents:Timeout", "00:00:00", "Agents__Timeout")]
    [InlineData("Agents:MaxRetries", "9", "Agents__MaxRetries")]
    [InlineData("Agents:SuperAgentModel", " ", "Agents__SuperAgentModel")]
    public void AWrongAgentSettingNamesItselfAndTheFix(string key, string value, string env)
    {
        using var services = Services((key, value));

        var error = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<AgentOptions>>().Value);

        Assert.Contains(key, error.Message);
        Assert.Contains(env, error.Message);
    }

    [Theory]
    [InlineData("WorkflowRuns:PollInterval", "00:00:00")]
    [InlineData("WorkflowRuns:MaxPollInterval", "00:00:01")]
    [InlineData("WorkflowRuns:LostTrackAfter", "00:00:00")]
    [InlineData("WorkflowRuns:ReminderPeriod", "02:00:00")]
    public void AWrongRunSettingNamesItselfAndTheFix(string key, string value)
    {
        using var services = Services((key, value));

        var error = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<WorkflowRunOptions>>().Value);

        Assert.Contains(key, error.Message);
        Assert.Contains("set it between", error.Message);
    }

    [Theory]
    [InlineData("Sessions:MaxHistoryTurns", "1")]
    [InlineData("Sessions:MaxHistoryCharacters", "10")]
    [InlineData("Sessions:StatusRunCount", "0")]
    [InlineData("Sessions:ResumePeriod", "00:00:00")]
    public void AWrongSessionSettingNamesItselfAndTheFix(string key, string value)
    {
        using var services = Services((key, value));

        var error = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<SessionOptions>>().Value);

        Assert.Contains(key, error.Message);
        Assert.Contains("env Sessions__", error.Message);
    }

    [Theory]
    [InlineData("WorkflowRuns:ReminderPeriod", "00:00:10")]
    [InlineData("Sessions:ResumePeriod", "00:00:10")]
    public void AReminderPeriodBelowOrleansMinimumSaysHowToFixIt(string key, string value)
    {
        using var services = Services((key, value));

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptions<WorkflowRunOptions>>().Value;
            _ = services.GetRequiredService<IOptions<SessionOptions>>().Value;
        });

        Assert.Contains($"{key} is 00:00:10, shorter than the silo's shortest reminder period 00:01:00", error.Message);
        Assert.Contains("Orleans:MinimumReminderPeriod", error.Message);
    }
}
