using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Agents;

/// <summary>
/// The section <c>Agents</c>: the OpenAI-compatible endpoint of the Super Agent and its sub-agents.
/// </summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agents";

    /// <summary>
    /// <c>Agents:BaseUrl</c>: the endpoint's base, ending in <c>/v1</c>. Default <c>Dagen:BaseUrl</c> +
    /// <c>/v1</c>; when neither is set, questions are answered with a note that the agents are not configured.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// <c>Agents:ApiKey</c>: the bearer key for the endpoint. Default <c>Dagen:ApiToken</c>. Never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary><c>Agents:SuperAgentModel</c>: the model that is the Super Agent. Default <c>super-agent</c>.</summary>
    public string SuperAgentModel { get; set; } = "super-agent";

    /// <summary><c>Agents:Timeout</c>: the longest wait for one answer, retries included. Default 2 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary><c>Agents:MaxRetries</c>: retries after a 5xx, 429 or network error. Default 1.</summary>
    public int MaxRetries { get; set; } = 1;

    /// <summary><c>Agents:RetryDelay</c>: the first wait before a retry; doubles after. Default 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fills <see cref="BaseUrl"/> and <see cref="ApiKey"/> from the <c>Dagen</c> section if unset.</summary>
    internal static void ApplyDagenDefaults(AgentOptions options, IConfiguration configuration)
    {
        var dagenBase = configuration["Dagen:BaseUrl"];
        if (string.IsNullOrWhiteSpace(options.BaseUrl) && !string.IsNullOrWhiteSpace(dagenBase))
        {
            options.BaseUrl = dagenBase.Trim().TrimEnd('/') + "/v1";
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            options.ApiKey = configuration["Dagen:ApiToken"];
        }
    }
}

/// <summary>Checks <see cref="AgentOptions"/> at start-up; each failure names the setting and the fix.</summary>
internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.BaseUrl) && !IsHttpUrl(options.BaseUrl))
        {
            failures.Add($"Agents:BaseUrl is '{options.BaseUrl}'; set it to the absolute http(s) URL of the "
                + "OpenAI-compatible endpoint, such as http://127.0.0.1:5091/v1 (env Agents__BaseUrl), or leave "
                + "it unset to use Dagen:BaseUrl + /v1.");
        }

        if (string.IsNullOrWhiteSpace(options.SuperAgentModel))
        {
            failures.Add("Agents:SuperAgentModel is empty; set it to the model name of the Super Agent "
                + "(default super-agent, env Agents__SuperAgentModel).");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(30))
        {
            failures.Add($"Agents:Timeout is {Show(options.Timeout)}; set it between 00:00:01 and 00:30:00 "
                + "(default 00:02:00, env Agents__Timeout).");
        }

        if (options.MaxRetries is < 0 or > 5)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Agents:MaxRetries is {options.MaxRetries}; set it from 0 to 5 (default 1, env Agents__MaxRetries)."));
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Agents:RetryDelay is {Show(options.RetryDelay)}; set it between 00:00:00 and 00:01:00 "
                + "(default 00:00:01, env Agents__RetryDelay).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    internal static string Show(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
