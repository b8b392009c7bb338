using Microsoft.Extensions.Options;

namespace Dagen.Grains.Slack;

/// <summary>
/// The section <c>Slack</c>: how the silo calls Slack's Web API and Incoming Webhooks, and how it paces and
/// retries those calls. Every value can come from the environment (<c>Slack__ApiBaseUrl</c>).
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>
    /// <c>Slack:ApiBaseUrl</c>: the base of Slack's Web API, an absolute http(s) URL. Default
    /// <c>https://slack.com/api/</c>; tests and local runs point it at a stand-in.
    /// </summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>
    /// <c>Slack:RequestTimeout</c>: how long one HTTP call to Slack may take before it counts as failed and is
    /// tried again later. Default 10 seconds.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>Slack:MessageInterval</c>: the pause between two calls for one Slack channel, and between two
    /// notifications to one webhook. Default 1 second, the pace Slack allows.
    /// </summary>
    public TimeSpan MessageInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Slack:DefaultRetryAfter</c>: the wait after a 429 that names none. Default 10 s.</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>Slack:MaxAttempts</c>: how often one call is tried when Slack fails (5xx, time-out, network) before it
    /// is given up and logged. Default 5.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// <c>Slack:MaxRateLimitedAttempts</c>: how many 429 answers one call may receive before it is given up.
    /// Default 20, so a burst waits out Slack's limits rather than losing a message.
    /// </summary>
    public int MaxRateLimitedAttempts { get; set; } = 20;

    /// <summary>
    /// <c>Slack:RetryBaseDelay</c>: the wait after the first failure; it doubles with each further one.
    /// Default 2 seconds.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Slack:RetryMaxDelay</c>: the longest wait between two tries after failures. Default 1 min.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The Web API base as a URI that ends with a slash, so method names resolve under it.</summary>
    public Uri ApiBaseUri => new(ApiBaseUrl.EndsWith('/') ? ApiBaseUrl : ApiBaseUrl + "/", UriKind.Absolute);
}

/// <summary>Checks <see cref="SlackOptions"/> at start-up; each message names the setting and how to fix it.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api)
            || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Slack:ApiBaseUrl is '{options.ApiBaseUrl}'; set it to the absolute http(s) URL of "
                + "Slack's Web API, https://slack.com/api/ or a local stand-in (env Slack__ApiBaseUrl).");
        }

        CheckPositive(failures, "RequestTimeout", options.RequestTimeout, "00:00:10");
        CheckPositive(failures, "MessageInterval", options.MessageInterval, "00:00:01");
        CheckPositive(failures, "DefaultRetryAfter", options.DefaultRetryAfter, "00:00:10");
        CheckPositive(failures, "RetryBaseDelay", options.RetryBaseDelay, "00:00:02");
        CheckPositive(failures, "RetryMaxDelay", options.RetryMaxDelay, "00:01:00");
        CheckAtLeastOne(failures, "MaxAttempts", options.MaxAttempts, 5);
        CheckAtLeastOne(failures, "MaxRateLimitedAttempts", options.MaxRateLimitedAttempts, 20);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPositive(List<string> failures, string key, TimeSpan value, string example)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"Slack:{key} is {value}; set it to a positive time span such as {example} "
                + $"(env Slack__{key}).");
        }
    }

    private static void CheckAtLeastOne(List<string> failures, string key, int value, int example)
    {
        if (value < 1)
        {
            failures.Add($"Slack:{key} is {value}; set it to 1 or more, for example {example} (env Slack__{key}).");
        }
    }
}
