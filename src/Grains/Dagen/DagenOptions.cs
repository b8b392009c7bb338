using Microsoft.Extensions.Options;

namespace Dagen.Grains.Dagen;

/// <summary>
/// The section <c>Dagen</c>: where the Dagen backend's workflow API is and how it is called. Every value can
/// come from the environment (<c>Dagen__BaseUrl</c>, <c>Dagen__ApiToken</c>).
/// </summary>
public sealed class DagenOptions
{
    public const string SectionName = "Dagen";

    /// <summary>
    /// <c>Dagen:BaseUrl</c>: the Dagen backend, an absolute http(s) URL such as <c>https://dagen.example.com/</c>.
    /// Required: the silo does not start without it. The local stand-in listens on http://127.0.0.1:5091.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary><c>Dagen:ApiToken</c>: the bearer token for Dagen's API. Optional; never logged.</summary>
    public string? ApiToken { get; set; }

    /// <summary><c>Dagen:AttemptTimeout</c>: how long one HTTP attempt may take. Default 10 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Dagen:TotalTimeout</c>: how long one call may take, retries included. Default 30 seconds.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>Dagen:MaxRetries</c>: further attempts after a 5xx, 429, time-out or network error (0 to 10). Starting
    /// a run is retried only when Dagen cannot have started it (429, 503, no connection). Default 3.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary><c>Dagen:RetryBaseDelay</c>: the first wait between attempts, growing after. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The base URL as a URI that ends with a slash, so the API's paths resolve under it.</summary>
    public Uri BaseUri => new(BaseUrl!.EndsWith('/') ? BaseUrl : BaseUrl + "/", UriKind.Absolute);
}

/// <summary>Checks <see cref="DagenOptions"/> at start-up; each message names the setting and how to fix it.</summary>
internal sealed class DagenOptionsValidator : IValidateOptions<DagenOptions>
{
    public ValidateOptionsResult Validate(string? name, DagenOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            failures.Add("Dagen:BaseUrl is not set; set it to the Dagen backend's URL, for example "
                + "http://127.0.0.1:5091 for the local stand-in (env Dagen__BaseUrl).");
        }
        else if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Dagen:BaseUrl is '{options.BaseUrl}'; set it to an absolute http(s) URL such as "
                + "https://dagen.example.com/ (env Dagen__BaseUrl).");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add($"Dagen:AttemptTimeout is {options.AttemptTimeout}; set it to a positive time span no longer "
                + "than Dagen:TotalTimeout, for example 00:00:10 (env Dagen__AttemptTimeout).");
        }

        if (options.TotalTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Dagen:TotalTimeout is {options.TotalTimeout}; set it to a positive time span such as "
                + "00:00:30 (env Dagen__TotalTimeout).");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"Dagen:MaxRetries is {options.MaxRetries}; set it to a number from 0 to 10 "
                + "(env Dagen__MaxRetries).");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero)
        {
            failures.Add($"Dagen:RetryBaseDelay is {options.RetryBaseDelay}; set it to a positive time span such as "
                + "00:00:01 (env Dagen__RetryBaseDelay).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
