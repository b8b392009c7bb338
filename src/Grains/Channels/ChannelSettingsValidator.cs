using System.Net;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Channels;

/// <summary>
/// Checks channel settings field by field. Messages say what to fix and never repeat a secret, the webhook URL
/// included.
/// </summary>
public sealed class ChannelSettingsValidator(IOptions<WebhookHostOptions> options)
{
    public const int MaxNameLength = 80;

    private const int MaxWebhookUrlLength = 500;
    private const int MaxBotTokenLength = 255;
    private const int MinSigningSecretLength = 16;
    private const int MaxSigningSecretLength = 128;

    private readonly IReadOnlyList<string> _hosts = options.Value.Hosts;

    /// <summary>
    /// Checks the settings a channel would have after a save. Null means "not set". Returns field (camelCase,
    /// as in the settings API) to message; empty when all is well.
    /// </summary>
    public Dictionary<string, string> Validate(string? name, string? webhookUrl, string? botToken, string? secret)
    {
        var errors = new Dictionary<string, string>();

        if (CheckName(name) is { } nameError)
        {
            errors["name"] = nameError;
        }

        if (webhookUrl is not null && CheckWebhookUrl(webhookUrl) is { } webhookError)
        {
            errors["webhookUrl"] = webhookError;
        }

        if (botToken is not null && CheckBotToken(botToken) is { } tokenError)
        {
            errors["botToken"] = tokenError;
        }

        if (secret is not null && CheckSigningSecret(secret) is { } secretError)
        {
            errors["signingSecret"] = secretError;
        }

        if (botToken is not null && secret is null)
        {
            errors.TryAdd("signingSecret", "Give the Slack app's signing secret too (Slack app → Basic Information "
                + "→ App Credentials); the bot needs both to receive @mentions.");
        }
        else if (secret is not null && botToken is null)
        {
            errors.TryAdd("botToken", "Give the Bot User OAuth Token too (Slack app → OAuth & Permissions, starts "
                + "with xoxb-); the bot needs both to receive @mentions.");
        }

        return errors;
    }

    private static string? CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Give the channel a name.";
        }

        if (name.Length > MaxNameLength)
        {
            return $"Use at most {MaxNameLength} characters.";
        }

        return name.Any(char.IsControl) ? "Use a name without control characters (tabs, line breaks)." : null;
    }

    private string? CheckWebhookUrl(string url)
    {
        const string Expected = "Paste the Incoming Webhook URL that Slack shows under Incoming Webhooks; it looks "
            + "like https://hooks.slack.com/services/T…/B…/….";
        if (url.Length > MaxWebhookUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"This is not a URL. {Expected}";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"Use an https URL. {Expected}";
        }

        if (!_hosts.Contains(uri.IdnHost, StringComparer.OrdinalIgnoreCase)
            && !_hosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
        {
            return $"Webhooks may only point at {string.Join(", ", _hosts)} "
                + $"(setting {WebhookHostOptions.SettingName}). {Expected}";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            return $"Use https; plain http is accepted only for a loopback host. {Expected}";
        }

        if (uri.UserInfo.Length > 0 || uri.AbsolutePath.Length <= 1)
        {
            return $"The URL has no webhook path or carries a user name. {Expected}";
        }

        // Slack's webhook URLs use the standard port and carry nothing after the path; anything else on a real
        // host is a URL that was not copied from Slack.
        if (!IsLoopback(uri) && (!uri.IsDefaultPort || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            return $"The URL has a port, a query or a fragment that Slack's webhook URLs never have. {Expected}";
        }

        return null;
    }

    private static string? CheckBotToken(string token)
    {
        if (!token.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            return "A Bot User OAuth Token starts with xoxb-; copy it from Slack app → OAuth & Permissions.";
        }

        if (token.Length is <= 5 or > MaxBotTokenLength || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "The token is incomplete or holds spaces; copy the whole Bot User OAuth Token again.";
        }

        return null;
    }

    private static string? CheckSigningSecret(string secret)
    {
        if (secret.Length is < MinSigningSecretLength or > MaxSigningSecretLength
            || !secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return "This does not look like a signing secret (16 to 128 letters and digits, usually 32); copy it "
                + "from Slack app → Basic Information → App Credentials.";
        }

        return null;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
