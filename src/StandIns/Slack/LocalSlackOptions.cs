using Dagen.StandIns.Hosting;

namespace Dagen.StandIns.Slack;

/// <summary>
/// Section <c>LocalSlack</c>: the local Slack workspace stand-in. Every secret here is a development value
/// that the stand-in and the product share; none is a real Slack credential.
/// </summary>
public sealed class LocalSlackOptions
{
    public const string SectionName = "LocalSlack";

    /// <summary>All bot scopes the product needs; the default grant.</summary>
    public static readonly IReadOnlyList<string> ProductScopes =
        ["app_mentions:read", "chat:write", "reactions:write"];

    /// <summary>
    /// <c>LocalSlack:Url</c>: where the stand-in listens, a loopback address. Default http://127.0.0.1:5090.
    /// </summary>
    public Uri Url { get; set; } = new("http://127.0.0.1:5090");

    /// <summary>
    /// <c>LocalSlack:BotToken</c>: the bot token the Web API accepts. Default a fixed development value.
    /// </summary>
    public string BotToken { get; set; } = "xoxb-local-standin-bot-token";

    /// <summary>
    /// <c>LocalSlack:SigningSecret</c>: signs the events sent to the gateway. Default a development value.
    /// </summary>
    public string SigningSecret { get; set; } = "localstandinsigningsecret0000000";

    /// <summary>
    /// <c>LocalSlack:EventsUrl</c>: the app's Event Subscription Request URL, the gateway's
    /// <c>/api/slack/events/{channelId}</c>. Default none: set it later on the page or with <c>connect</c>.
    /// </summary>
    public Uri? EventsUrl { get; set; }

    /// <summary>
    /// <c>LocalSlack:WebhookPath</c>: path of the Incoming Webhook, in Slack's <c>/services/T/B/secret</c> form.
    /// </summary>
    public string WebhookPath { get; set; } = $"/services/{LocalWorkspace.TeamId}/B0WEBHOOK/localstandinwebhook";

    /// <summary>
    /// <c>LocalSlack:BotInChannel</c>: whether the bot starts as a member of the channel. Default true.
    /// </summary>
    public bool BotInChannel { get; set; } = true;

    /// <summary>
    /// <c>LocalSlack:BotScopes</c>: the scopes granted to the bot token. Default the three the product needs.
    /// </summary>
    public List<string> BotScopes { get; set; } = [.. ProductScopes];

    /// <summary>
    /// <c>LocalSlack:RetryDelays</c>: when Slack re-sends an event the gateway did not accept. Default Slack's own:
    /// at once, after 1 minute, after 5 minutes.
    /// </summary>
    public List<TimeSpan> RetryDelays { get; set; } =
        [TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)];

    /// <summary>
    /// <c>LocalSlack:ResponseTimeout</c>: how long Slack waits for the gateway's answer. Default 3 s.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The Incoming Webhook URL under <paramref name="baseUrl"/>.</summary>
    public Uri WebhookUrl(Uri baseUrl) => new(baseUrl, WebhookPath.TrimStart('/'));

    /// <summary>Every problem with these settings, each saying how to fix it; empty when they are fine.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        try
        {
            StandInServer.LoopbackAddress(Url);
        }
        catch (ArgumentException exception)
        {
            errors.Add($"LocalSlack:Url: {exception.Message}");
        }

        if (string.IsNullOrWhiteSpace(BotToken) || !BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            errors.Add("LocalSlack:BotToken must be a bot token starting with 'xoxb-' (env LocalSlack__BotToken).");
        }

        if (SigningSecret.Length is < 16 or > 128 || !SigningSecret.All(char.IsAsciiLetterOrDigit))
        {
            errors.Add("LocalSlack:SigningSecret must be 16 to 128 letters and digits, shaped like Slack's "
                + "(env LocalSlack__SigningSecret).");
        }

        if (EventsUrl is not null && EventsUrlProblem(EventsUrl) is { } problem)
        {
            errors.Add($"LocalSlack:EventsUrl: {problem}");
        }

        if (!WebhookPath.StartsWith("/services/", StringComparison.Ordinal) || WebhookPath.Count(c => c == '/') != 4)
        {
            errors.Add("LocalSlack:WebhookPath must look like /services/T0LOCAL/B0WEBHOOK/secret.");
        }

        if (RetryDelays.Count > 3 || RetryDelays.Any(d => d < TimeSpan.Zero))
        {
            errors.Add("LocalSlack:RetryDelays holds at most 3 delays of zero or more, like Slack's 0s, 1m, 5m.");
        }

        if (ResponseTimeout <= TimeSpan.Zero)
        {
            errors.Add("LocalSlack:ResponseTimeout must be positive; Slack's is 00:00:03.");
        }

        return errors;
    }

    /// <summary>
    /// Why an Event Subscription URL cannot be used by the stand-in, or null. It sends only to loopback
    /// addresses, so a mistyped URL never sends events off this machine.
    /// </summary>
    public static string? EventsUrlProblem(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return $"'{url}' is not an absolute http(s) URL such as http://127.0.0.1:5080/api/slack/events/<id>.";
        }

        return url.IsLoopback
            ? null
            : $"'{url.Host}' is not a loopback host; the stand-in sends events only to 127.0.0.1 or localhost.";
    }
}
