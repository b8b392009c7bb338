using Dagen.Grains.Dagen;
using Dagen.Grains.Hosting;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Tests.Hosting;

public sealed class GrainServicesSettingsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Dagen:BaseUrl"] = "http://127.0.0.1:5091",
        ["Slack:ApiBaseUrl"] = "http://127.0.0.1:5090/api",
        ["Secrets:ActiveKeyId"] = TestSettings.KeyId,
        [$"Secrets:Keys:{TestSettings.KeyId}"] = TestSettings.Key,
    };

    [Fact]
    public void ValidSettingsPassTheStartUpChecks()
    {
        using var services = Build(Valid);

        services.GetRequiredService<IStartupValidator>().Validate();

        var dagen = services.GetRequiredService<IOptions<DagenOptions>>().Value;
        var slack = services.GetRequiredService<IOptions<SlackOptions>>().Value;
        Assert.Equal(new Uri("http://127.0.0.1:5091/"), dagen.BaseUri);
        Assert.Equal(new Uri("http://127.0.0.1:5090/api/"), slack.ApiBaseUri);
    }

    [Fact]
    public void WithoutDagenBaseUrlTheSiloDoesNotStartAndTheErrorSaysHowToSetIt()
    {
        using var services = Build(new(Valid) { ["Dagen:BaseUrl"] = null });

        var failures = StartUpFailures(services);

        var message = Assert.Single(failures);
        Assert.Contains("Dagen:BaseUrl is not set", message);
        Assert.Contains("Dagen__BaseUrl", message);
    }

    [Theory]
    [InlineData("Dagen:BaseUrl", "ftp://dagen.example.com", "absolute http(s) URL")]
    [InlineData("Dagen:BaseUrl", "/api", "absolute http(s) URL")]
    [InlineData("Dagen:MaxRetries", "11", "from 0 to 10")]
    [InlineData("Dagen:AttemptTimeout", "00:01:00", "no longer than Dagen:TotalTimeout")]
    [InlineData("Dagen:RetryBaseDelay", "00:00:00", "positive time span")]
    [InlineData("Slack:ApiBaseUrl", "slack.com/api", "absolute http(s) URL")]
    [InlineData("Slack:MaxAttempts", "0", "1 or more")]
    [InlineData("Slack:MessageInterval", "-00:00:01", "positive time span")]
    [InlineData("Slack:RequestTimeout", "00:00:00", "positive time span")]
    public void AWrongSettingNamesItselfAndTheFix(string key, string value, string fix)
    {
        using var services = Build(new(Valid) { [key] = value });

        var failures = StartUpFailures(services);

        // A wrong Dagen:BaseUrl also makes the Agents:BaseUrl derived from it wrong; that line is the agents' own.
        var message = Assert.Single(failures, failure => failure.StartsWith(key, StringComparison.Ordinal));
        Assert.Contains(key, message);
        Assert.Contains(fix, message);
        Assert.Contains(key.Replace(":", "__", StringComparison.Ordinal), message);
    }

    [Fact]
    public void TheDagenTokenIsNeverPartOfAValidationMessage()
    {
        using var services = Build(new() { ["Dagen:ApiToken"] = "dagen-secret-token", ["Dagen:BaseUrl"] = "nope" });

        var failures = StartUpFailures(services);

        Assert.NotEmpty(failures);
        Assert.All(failures, failure => Assert.DoesNotContain("dagen-secret-token", failure));
    }

    /// <summary>The start-up check's failures, whether one section failed or several (an aggregate).</summary>
    private static List<string> StartUpFailures(ServiceProvider services)
    {
        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());
        var errors = error is AggregateException aggregate ? aggregate.InnerExceptions : [error];
        return errors.Select(Assert.IsType<OptionsValidationException>).SelectMany(e => e.Failures).ToList();
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddDagenGrainServices(configuration);
        return services.BuildServiceProvider();
    }
}
