using Dagen.StandIns.Dagen;
using Dagen.StandIns.Slack;
using Microsoft.Extensions.Configuration;

namespace Dagen.StandIns.Cli;

/// <summary>
/// The stand-ins' settings: appsettings.json beside the program, then the environment
/// (<c>LocalSlack__SigningSecret</c>), then <c>--LocalSlack:Url=…</c> style arguments.
/// </summary>
internal static class StandInSettings
{
    public static IConfiguration Read(IReadOnlyList<string> configurationArgs) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. configurationArgs])
            .Build();

    public static LocalSlackOptions Slack(IConfiguration configuration)
    {
        var section = configuration.GetSection(LocalSlackOptions.SectionName);
        var options = section.Get<LocalSlackOptions>() ?? new LocalSlackOptions();

        // The binder adds configured list items to the defaults; a configured list replaces them instead.
        options.BotScopes = ListOr(section, nameof(options.BotScopes), LocalSlackOptions.ProductScopes);
        options.RetryDelays = ListOr(section, nameof(options.RetryDelays), new LocalSlackOptions().RetryDelays);
        return options;
    }

    public static LocalDagenOptions Dagen(IConfiguration configuration)
    {
        var section = configuration.GetSection(LocalDagenOptions.SectionName);
        var options = section.Get<LocalDagenOptions>() ?? new LocalDagenOptions();
        options.Models = ListOr(section, nameof(options.Models), new LocalDagenOptions().Models);
        return options;
    }

    private static List<T> ListOr<T>(IConfigurationSection section, string key, IEnumerable<T> fallback)
    {
        var list = section.GetSection(key);
        return list.Exists() ? list.Get<List<T>>() ?? [] : [.. fallback];
    }
}
